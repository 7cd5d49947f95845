package dev.flotilla.controlplane.appset;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** ApplicationSet documents and their generation status. */
public final class ApplicationSetRepository {

  /** A stored ApplicationSet. */
  public record StoredApplicationSet(
      String name, JsonObject document, JsonObject status, OffsetDateTime updatedAt) {}

  private final Pool pool;

  public ApplicationSetRepository(Pool pool) {
    this.pool = pool;
  }

  /** Creates or replaces; returns true when it was created. */
  public Future<Boolean> upsert(String name, JsonObject document) {
    return pool.preparedQuery(
            "INSERT INTO application_sets (name, document) VALUES ($1, $2)"
                + " ON CONFLICT (name) DO UPDATE SET document = EXCLUDED.document, updated_at = now()"
                + " RETURNING (xmax = 0) AS created")
        .execute(Tuple.of(name, document))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  public Future<Optional<StoredApplicationSet>> get(String name) {
    return pool.preparedQuery(
            "SELECT name, document, status, updated_at FROM application_sets WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(to(rows.iterator().next())));
  }

  public Future<List<StoredApplicationSet>> list() {
    return pool.query(
            "SELECT name, document, status, updated_at FROM application_sets ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(ApplicationSetRepository::to).toList());
  }

  public Future<Boolean> delete(String name) {
    return delete(pool, name);
  }

  /** Deletes within the caller's transaction ({@code client}). */
  public Future<Boolean> delete(io.vertx.sqlclient.SqlClient client, String name) {
    return client
        .preparedQuery("DELETE FROM application_sets WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Void> updateStatus(String name, JsonObject status) {
    return pool.preparedQuery("UPDATE application_sets SET status = $2 WHERE name = $1")
        .execute(Tuple.of(name, status))
        .mapEmpty();
  }

  private static StoredApplicationSet to(Row row) {
    return new StoredApplicationSet(
        row.getString("name"),
        (JsonObject) row.getValue("document"),
        (JsonObject) row.getValue("status"),
        row.getOffsetDateTime("updated_at"));
  }
}
