package dev.flotilla.core.rbac;

import java.util.Set;

/** What a caller may do to an object, as it appears in policy lines. */
public final class Actions {

  public static final String GET = "get";
  public static final String CREATE = "create";
  public static final String UPDATE = "update";
  public static final String DELETE = "delete";
  public static final String SYNC = "sync";
  public static final String ROLLBACK = "rollback";
  public static final String OVERRIDE = "override";

  public static final Set<String> ALL =
      Set.of(GET, CREATE, UPDATE, DELETE, SYNC, ROLLBACK, OVERRIDE);

  private Actions() {}
}
