package dev.flotilla.controlplane.access;

import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.Grants;
import dev.flotilla.core.rbac.PolicySet;
import dev.flotilla.core.rbac.Subject;
import java.util.Map;
import java.util.Set;

/**
 * An authenticated request's subject with everything it holds, resolved once per request. Every
 * entry point (REST, gRPC) turns a bearer token into one of these and hands it to the domain
 * operations, which decide with {@link #may}.
 */
public final class Caller {

  /** The control plane itself (generation, dispatch, tests): may do everything, never audited. */
  public static final Caller SYSTEM =
      new Caller(
          Subject.user("system:flotilla", Set.of()),
          new Enforcer(PolicySet.empty(), Map.of(), Enforcer.ROLE_ADMIN)
              .grantsOf(Subject.user("system:flotilla", Set.of())));

  private final Subject subject;
  private final Grants grants;

  public Caller(Subject subject, Grants grants) {
    this.subject = subject;
    this.grants = grants;
  }

  /** The name the audit log records: a user name, or {@code proj:<project>:<role>}. */
  public String name() {
    return subject.name();
  }

  public Subject subject() {
    return subject;
  }

  /** Teams the caller belongs to (none for a project-role token). */
  public Set<String> teams() {
    return subject.teams();
  }

  /** Every role the caller acts as, resolved through {@code g} lines. */
  public Set<String> roles() {
    return grants.roles();
  }

  public boolean may(String resource, String action, String object) {
    return grants.allows(resource, action, object);
  }

  /** Whether the caller may see the object at all; what it may not see does not exist for it. */
  public boolean sees(String resource, String object) {
    return may(resource, Actions.GET, object);
  }
}
