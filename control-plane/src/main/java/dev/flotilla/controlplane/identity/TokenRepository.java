package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.core.rbac.ProjectRoles;
import dev.flotilla.core.rbac.Subject;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * API tokens for users and project roles: 256 random bits, shown once, stored as SHA-256 (a fast
 * hash is enough because a token has full entropy, as with cluster join tokens).
 */
public final class TokenRepository {

  private static final String COLUMNS =
      "id, subject_kind, user_name, project, role, description, created_at, expires_at, revoked,"
          + " last_used_at";

  private final Pool pool;

  /** Decides whether a token has expired, rather than the database's clock. */
  private final Clock clock;

  public TokenRepository(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** On the system clock, for tools and tests that do not control time. */
  public TokenRepository(Pool pool) {
    this(pool, Clock.systemUTC());
  }

  /**
   * A token acting as {@code user} (with the teams they are in when it is used).
   *
   * @param expiresAt when it stops working, or null for never; must lie in the future
   */
  public Future<CreatedToken> createForUser(String user, String description, Instant expiresAt) {
    return insert(ApiToken.Kind.USER, user, null, null, description, expiresAt)
        .recover(e -> PgErrors.onMissingReference(e, "user '" + user + "' does not exist"));
  }

  /**
   * A token acting as the project role {@code proj:<project>:<role>}. The project must exist; its
   * tokens are deleted with it. Whether the role exists is decided when the token is used (a role
   * removed from the project grants nothing).
   */
  public Future<CreatedToken> createForProjectRole(
      String project, String role, String description, Instant expiresAt) {
    if (!ProjectRoles.isRoleName(role)) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "role: must be letters, digits, '-' and '_', found '" + role + "'"));
    }
    return insert(ApiToken.Kind.PROJECT_ROLE, null, project, role, description, expiresAt)
        .recover(e -> PgErrors.onMissingReference(e, "project '" + project + "' does not exist"));
  }

  private Future<CreatedToken> insert(
      ApiToken.Kind kind,
      String user,
      String project,
      String role,
      String description,
      Instant expiresAt) {
    try {
      Names.requireText("description", description);
      if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
        throw new IllegalArgumentException("expiresAt: must lie in the future");
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String plaintext = JoinTokens.newToken();
    return pool.preparedQuery(
            "INSERT INTO api_tokens"
                + " (token_hash, subject_kind, user_name, project, role, description, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.tuple()
                .addValue(JoinTokens.hash(plaintext))
                .addValue(kind.column)
                .addValue(user)
                .addValue(project)
                .addValue(role)
                .addValue(description == null ? "" : description)
                .addValue(utc(expiresAt)))
        .map(rows -> new CreatedToken(toToken(rows.iterator().next()), plaintext));
  }

  /**
   * Who presents {@code token}: empty alike for an unknown, expired or revoked token, so a caller
   * cannot tell which. A user token carries the user's current teams. Records the use at most once
   * a minute per token, so authenticating every request does not write every time.
   */
  public Future<Optional<Subject>> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > 512) {
      return Future.succeededFuture(Optional.empty());
    }
    return authenticateHash(JoinTokens.hash(token));
  }

  /**
   * As {@link #authenticate}, for a token known only by its hash: a web UI session keeps the hash,
   * never the token, and is worth no more than the token it was opened with.
   */
  public Future<Optional<Subject>> authenticateHash(String tokenHash) {
    OffsetDateTime now = utc(clock.instant());
    return pool.preparedQuery(
            "SELECT t.id, t.subject_kind, t.user_name, t.project, t.role,"
                + " (t.last_used_at IS NULL OR t.last_used_at < $2::timestamptz - interval '1 minute')"
                + " AS touch,"
                + " ARRAY(SELECT m.team FROM team_members m WHERE m.user_name = t.user_name"
                + " ORDER BY m.team) AS teams"
                + " FROM api_tokens t"
                + " WHERE t.token_hash = $1 AND NOT t.revoked"
                + " AND (t.expires_at IS NULL OR t.expires_at > $2::timestamptz)")
        .execute(Tuple.of(tokenHash, now))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<Subject>empty());
              }
              Row row = rows.iterator().next();
              Subject subject =
                  ApiToken.Kind.of(row.getString("subject_kind")) == ApiToken.Kind.USER
                      ? Subject.user(
                          row.getString("user_name"), Arrays.asList(row.getArrayOfStrings("teams")))
                      : Subject.projectRole(row.getString("project"), row.getString("role"));
              if (!row.getBoolean("touch")) {
                return Future.succeededFuture(Optional.of(subject));
              }
              // The condition is repeated so concurrent requests write once between them.
              return pool.preparedQuery(
                      "UPDATE api_tokens SET last_used_at = $2::timestamptz WHERE id = $1"
                          + " AND (last_used_at IS NULL"
                          + " OR last_used_at < $2::timestamptz - interval '1 minute')")
                  .execute(Tuple.of(row.getLong("id"), now))
                  .map(ignored -> Optional.of(subject));
            });
  }

  /** Revokes a token for good; false when there is no such token. */
  public Future<Boolean> revoke(long id) {
    return pool.preparedQuery("UPDATE api_tokens SET revoked = TRUE WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<ApiToken>> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(toToken(rows.iterator().next())));
  }

  /** Every token, newest first, including revoked and expired ones. */
  public Future<List<ApiToken>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id DESC")
        .execute()
        .map(rows -> rows.stream().map(TokenRepository::toToken).toList());
  }

  public Future<List<ApiToken>> listForUser(String user) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM api_tokens WHERE user_name = $1 ORDER BY id DESC")
        .execute(Tuple.of(user))
        .map(rows -> rows.stream().map(TokenRepository::toToken).toList());
  }

  public Future<List<ApiToken>> listForProject(String project) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM api_tokens WHERE project = $1 ORDER BY id DESC")
        .execute(Tuple.of(project))
        .map(rows -> rows.stream().map(TokenRepository::toToken).toList());
  }

  private static ApiToken toToken(Row row) {
    return new ApiToken(
        row.getLong("id"),
        ApiToken.Kind.of(row.getString("subject_kind")),
        row.getString("user_name"),
        row.getString("project"),
        row.getString("role"),
        row.getString("description"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("expires_at"),
        row.getBoolean("revoked"),
        row.getOffsetDateTime("last_used_at"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
