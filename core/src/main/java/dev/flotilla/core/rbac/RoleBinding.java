package dev.flotilla.core.rbac;

/**
 * One {@code g} line: {@code member} (a user, a team or a role) holds {@code role}, and with it
 * everything {@code role} holds.
 *
 * @param line 1-based line of the policy text it came from (0 when derived from a project role)
 */
public record RoleBinding(String member, String role, int line) {

  public String toLine() {
    return String.join(", ", "g", member, role);
  }
}
