package dev.flotilla.core.rbac;

import java.util.Set;

/** The kinds of object a policy line can grant on, as they appear in policy lines. */
public final class Resources {

  public static final String APPLICATIONS = "applications";
  public static final String APPLICATIONSETS = "applicationsets";
  public static final String PROJECTS = "projects";
  public static final String CLUSTERS = "clusters";
  public static final String REPOSITORIES = "repositories";

  /**
   * Users, teams, their tokens and the global policy; objects are {@code users/<name>}, {@code
   * teams/<name>} and {@code policy}. Not in Argo CD's list under this meaning: Flotilla keeps its
   * accounts in Postgres, so they need a permission of their own.
   */
  public static final String ACCOUNTS = "accounts";

  /**
   * Pod logs of an Application's objects, as Argo CD's {@code logs, get, <project>/<name>}: reading
   * them needs this as well as {@code applications, get} (logs may hold what the manifests do not).
   */
  public static final String LOGS = "logs";

  public static final Set<String> ALL =
      Set.of(APPLICATIONS, APPLICATIONSETS, PROJECTS, CLUSTERS, REPOSITORIES, ACCOUNTS, LOGS);

  private Resources() {}

  /** Objects of these resources are named {@code <project>/<name>}. */
  static boolean inProject(String resource) {
    return APPLICATIONS.equals(resource)
        || APPLICATIONSETS.equals(resource)
        || LOGS.equals(resource);
  }
}
