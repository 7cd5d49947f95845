package dev.flotilla.controlplane.identity;

import java.time.OffsetDateTime;

/**
 * What is known about an API token, never the token or its hash.
 *
 * @param user the owning user, or null for a project-role token
 * @param project with {@code role}: the project role a project token acts as, else null
 */
public record ApiToken(
    long id,
    Kind kind,
    String user,
    String project,
    String role,
    String description,
    OffsetDateTime createdAt,
    OffsetDateTime expiresAt,
    boolean revoked,
    OffsetDateTime lastUsedAt) {

  public enum Kind {
    USER("user"),
    PROJECT_ROLE("project_role");

    final String column;

    Kind(String column) {
      this.column = column;
    }

    static Kind of(String column) {
      return column.equals(USER.column) ? USER : PROJECT_ROLE;
    }
  }
}
