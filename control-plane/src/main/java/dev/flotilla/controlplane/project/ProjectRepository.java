package dev.flotilla.controlplane.project;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** AppProject documents in Postgres. */
public final class ProjectRepository {

  private final Pool pool;

  public ProjectRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> upsert(String name, JsonObject document) {
    return upsert(pool, name, document);
  }

  /** As {@link #upsert(String, JsonObject)}, within the caller's transaction. */
  public Future<Void> upsert(SqlClient client, String name, JsonObject document) {
    return client
        .preparedQuery(
            "INSERT INTO app_projects (name, document) VALUES ($1, $2)"
                + " ON CONFLICT (name) DO UPDATE SET document = EXCLUDED.document, updated_at = now()")
        .execute(Tuple.of(name, document))
        .mapEmpty();
  }

  /** The stored document, locked until the caller's transaction ends. */
  public Future<Optional<JsonObject>> getForUpdate(SqlClient client, String name) {
    return client
        .preparedQuery("SELECT document FROM app_projects WHERE name = $1 FOR UPDATE")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of((JsonObject) rows.iterator().next().getValue(0)));
  }

  public Future<Optional<JsonObject>> get(String name) {
    return pool.preparedQuery("SELECT document FROM app_projects WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of((JsonObject) rows.iterator().next().getValue(0)));
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT document FROM app_projects ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(r -> (JsonObject) r.getValue(0)).toList());
  }

  /** The documents of those of {@code names} that exist, in name order. */
  public Future<List<JsonObject>> getAll(Collection<String> names) {
    return pool.preparedQuery(
            "SELECT document FROM app_projects WHERE name = ANY($1) ORDER BY name")
        .execute(Tuple.of(names.toArray(String[]::new)))
        .map(rows -> rows.stream().map(r -> (JsonObject) r.getValue(0)).toList());
  }

  /**
   * A number that moves with every committed change of an AppProject or of a cluster's name or
   * server (kept by triggers, migration V11): what parsed policies are cached against.
   */
  /**
   * The App of Apps parent that owns this AppProject, if one does: it then changes only through the
   * parent's Git.
   */
  public Future<Optional<String>> parentOf(String name) {
    return pool.preparedQuery("SELECT parent_application FROM app_projects WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  public Future<Long> policyVersion() {
    return pool.query("SELECT version FROM project_policy_version")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM app_projects WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }
}
