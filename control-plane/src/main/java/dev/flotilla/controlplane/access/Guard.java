package dev.flotilla.controlplane.access;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.project.ProjectGate;

/**
 * The one place that turns a policy decision into an answer, for every entry point. What the caller
 * may not {@code get} is reported exactly like something missing, so names cannot be probed; only
 * an object the caller can see but not change is refused as forbidden.
 */
public final class Guard {

  private Guard() {}

  /** The policy object of an Application or ApplicationSet: {@code <project>/<name>}. */
  public static String inProject(String project, String name) {
    String p = project == null || project.isEmpty() ? ProjectGate.DEFAULT_PROJECT : project;
    return p + "/" + name;
  }

  /**
   * Requires {@code action} on an existing object.
   *
   * @param what how errors name the kind, e.g. {@code application}
   * @param name how errors name the object (the user's own words, not the policy object)
   * @throws ApiException NOT_FOUND when the caller may not see it, FORBIDDEN when it may see it but
   *     not do {@code action}
   */
  public static void require(
      Caller caller, String resource, String action, String object, String what, String name) {
    if (!caller.sees(resource, object)) {
      throw ApiException.hidden(what, name);
    }
    if (!caller.may(resource, action, object)) {
      throw denied(caller, resource, action, object);
    }
  }

  /**
   * The refusal {@link #requireAllowed} gives, for a caller who must be refused for a reason it may
   * not learn (an object it cannot see holds the name): the same words as any missing permission.
   */
  public static ApiException refusal(Caller caller, String resource, String action, String object) {
    return denied(caller, resource, action, object);
  }

  /** Requires {@code get}: an invisible object is simply not found. */
  public static void requireVisible(
      Caller caller, String resource, String object, String what, String name) {
    if (!caller.sees(resource, object)) {
      throw ApiException.hidden(what, name);
    }
  }

  /**
   * Requires {@code action} where the answer must not depend on whether the object exists (create,
   * or checks made before looking it up).
   */
  public static void requireAllowed(Caller caller, String resource, String action, String object) {
    if (!caller.may(resource, action, object)) {
      throw denied(caller, resource, action, object);
    }
  }

  private static ApiException denied(Caller caller, String resource, String action, String object) {
    return ApiException.forbidden(
        "permission denied: '"
            + caller.name()
            + "' may not "
            + action
            + " "
            + resource
            + " '"
            + object
            + "' (ask an admin for a policy line granting it)");
  }
}
