package dev.flotilla.controlplane.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/** Users in Postgres. Deleting a user removes their memberships and tokens with them. */
public final class UserRepository {

  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Fails with {@link IllegalArgumentException} for a bad name or display name and with {@link
   * IdentityConflictException} when a user or team already has the name.
   */
  public Future<User> create(String name, String displayName) {
    try {
      Names.requireName("name", name);
      Names.requireText("displayName", displayName);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // One statement claims the shared name and creates the user, so there is no window in which a
    // team could take the same name.
    return pool.preparedQuery(
            "WITH claimed AS (INSERT INTO principal_names (name, kind) VALUES ($1, 'user')"
                + " RETURNING name)"
                + " INSERT INTO users (name, display_name) SELECT name, $2 FROM claimed"
                + " RETURNING name, display_name, created_at")
        .execute(Tuple.of(name, displayName == null ? "" : displayName))
        .map(rows -> toUser(rows.iterator().next()))
        .recover(e -> PgErrors.onUnique(e, "the name '" + name + "' is already taken"));
  }

  public Future<Optional<User>> get(String name) {
    return pool.preparedQuery("SELECT name, display_name, created_at FROM users WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
  }

  public Future<List<User>> list() {
    return pool.query("SELECT name, display_name, created_at FROM users ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(UserRepository::toUser).toList());
  }

  /** Names of the teams {@code user} belongs to, sorted; empty for an unknown user. */
  public Future<List<String>> teamsOf(String user) {
    return pool.preparedQuery("SELECT team FROM team_members WHERE user_name = $1 ORDER BY team")
        .execute(Tuple.of(user))
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  /** Deletes the user, their team memberships and their tokens; false when there was none. */
  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM principal_names WHERE name = $1 AND kind = 'user'")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  private static User toUser(Row row) {
    return new User(
        row.getString("name"), row.getString("display_name"), row.getOffsetDateTime("created_at"));
  }
}
