package dev.flotilla.core.rbac;

import dev.flotilla.core.glob.Glob;

/**
 * One {@code p} line: {@code subject} may (or, when {@code allow} is false, may not) do {@code
 * action} on {@code resource} objects matching {@code object}. Resource, action and object are
 * globs.
 *
 * @param line 1-based line of the policy text it came from (0 for built-in rules)
 */
public record PolicyRule(
    String subject, String resource, String action, String object, boolean allow, int line) {

  boolean matches(String requestResource, String requestAction, String requestObject) {
    return Glob.matches(resource, requestResource, Glob.Mode.RBAC, false)
        && Glob.matches(action, requestAction, Glob.Mode.RBAC, false)
        && Glob.matches(object, requestObject, Glob.Mode.RBAC, false);
  }

  /** The rule as a policy line. */
  public String toLine() {
    return String.join(", ", "p", subject, resource, action, object, allow ? "allow" : "deny");
  }
}
