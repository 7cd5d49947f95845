package dev.flotilla.controlplane.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/** Teams and their members in Postgres. */
public final class TeamRepository {

  private final Pool pool;

  public TeamRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Fails with {@link IllegalArgumentException} for a bad name or description and with {@link
   * IdentityConflictException} when a user or team already has the name.
   */
  public Future<Team> create(String name, String description) {
    try {
      Names.requireName("name", name);
      Names.requireText("description", description);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return pool.preparedQuery(
            "WITH claimed AS (INSERT INTO principal_names (name, kind) VALUES ($1, 'team')"
                + " RETURNING name)"
                + " INSERT INTO teams (name, description) SELECT name, $2 FROM claimed"
                + " RETURNING name, description, created_at")
        .execute(Tuple.of(name, description == null ? "" : description))
        .map(rows -> toTeam(rows.iterator().next()))
        .recover(e -> PgErrors.onUnique(e, "the name '" + name + "' is already taken"));
  }

  public Future<Optional<Team>> get(String name) {
    return pool.preparedQuery("SELECT name, description, created_at FROM teams WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(toTeam(rows.iterator().next())));
  }

  public Future<List<Team>> list() {
    return pool.query("SELECT name, description, created_at FROM teams ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(TeamRepository::toTeam).toList());
  }

  /**
   * Adds {@code user} to {@code team}: true when added, false when already a member. Fails with
   * {@link IllegalArgumentException} when either does not exist.
   */
  public Future<Boolean> addMember(String team, String user) {
    return pool.preparedQuery(
            "INSERT INTO team_members (team, user_name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(team, user))
        .map(rows -> rows.rowCount() > 0)
        .recover(
            e ->
                PgErrors.onMissingReference(
                    e, "team '" + team + "' or user '" + user + "' does not exist"));
  }

  public Future<Boolean> removeMember(String team, String user) {
    return pool.preparedQuery("DELETE FROM team_members WHERE team = $1 AND user_name = $2")
        .execute(Tuple.of(team, user))
        .map(rows -> rows.rowCount() > 0);
  }

  /** User names of the team's members, sorted. */
  public Future<List<String>> members(String team) {
    return pool.preparedQuery(
            "SELECT user_name FROM team_members WHERE team = $1 ORDER BY user_name")
        .execute(Tuple.of(team))
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM principal_names WHERE name = $1 AND kind = 'team'")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  private static Team toTeam(Row row) {
    return new Team(
        row.getString("name"), row.getString("description"), row.getOffsetDateTime("created_at"));
  }
}
