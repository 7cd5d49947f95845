package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** ApplicationSet documents and their generation status. */
public final class ApplicationSetRepository {

  /**
   * A stored ApplicationSet. While it is being deleted, {@code status.deletion} says how far the
   * deletion got (see {@link ApplicationSetDeletion}).
   */
  public record StoredApplicationSet(
      String name, JsonObject document, JsonObject status, OffsetDateTime updatedAt) {

    /** Whether a deletion was asked for and is under way. */
    public boolean deleting() {
      return status != null && status.getValue("deletion") instanceof JsonObject;
    }
  }

  private final Pool pool;

  public ApplicationSetRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Creates or replaces; returns true when it was created. A set being deleted is not replaced:
   * that fails with {@link ApiException.Kind#PRECONDITION}.
   */
  public Future<Boolean> upsert(String name, JsonObject document) {
    return pool.preparedQuery(
            "INSERT INTO application_sets (name, document) VALUES ($1, $2)"
                + " ON CONFLICT (name) DO UPDATE SET document = EXCLUDED.document, updated_at = now()"
                + " WHERE application_sets.deletion IS NULL"
                + " RETURNING (xmax = 0) AS created")
        .execute(Tuple.of(name, document))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new ApiException(
                    ApiException.Kind.PRECONDITION,
                    "applicationset '"
                        + name
                        + "' is being deleted; apply it again once the deletion has finished");
              }
              return rows.iterator().next().getBoolean("created");
            });
  }

  /**
   * Marks a set as being deleted with {@code deletion} as its progress, unless it already is;
   * returns the progress in force, or empty when there is no such set.
   */
  public Future<Optional<JsonObject>> markDeleting(String name, JsonObject deletion) {
    return pool.preparedQuery(
            "UPDATE application_sets SET deletion = COALESCE(deletion, $2) WHERE name = $1"
                + " RETURNING deletion")
        .execute(Tuple.of(name, deletion))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of((JsonObject) rows.iterator().next().getValue("deletion")));
  }

  /** Names of the sets whose deletion was asked for and has not finished. */
  public Future<List<String>> deleting() {
    return pool.query("SELECT name FROM application_sets WHERE deletion IS NOT NULL ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  /** Records how many of its Applications a set being deleted still has. */
  public Future<Void> updateRemaining(SqlClient client, String name) {
    return client
        .preparedQuery(
            "UPDATE application_sets SET deletion = jsonb_set(deletion, '{remaining}',"
                + " to_jsonb((SELECT count(*) FROM applications WHERE application_set = $1)))"
                + " WHERE name = $1 AND deletion IS NOT NULL")
        .execute(Tuple.of(name))
        .mapEmpty();
  }

  /**
   * Removes a set being deleted; with {@code onlyIfEmpty}, only once it owns no Application (one
   * generated meanwhile is deleted first). True when it was removed.
   */
  public Future<Boolean> finishDeletion(SqlClient client, String name, boolean onlyIfEmpty) {
    return client
        .preparedQuery(
            "DELETE FROM application_sets WHERE name = $1 AND deletion IS NOT NULL"
                + (onlyIfEmpty
                    ? " AND NOT EXISTS (SELECT 1 FROM applications WHERE application_set = $1)"
                    : ""))
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<StoredApplicationSet>> get(String name) {
    return pool.preparedQuery(
            "SELECT name, document, status, deletion, updated_at FROM application_sets WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(to(rows.iterator().next())));
  }

  /**
   * The App of Apps parent that owns this ApplicationSet, if one does: it then changes only through
   * the parent's Git.
   */
  public Future<Optional<String>> parentOf(String name) {
    return pool.preparedQuery("SELECT parent_application FROM application_sets WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  public Future<List<StoredApplicationSet>> list() {
    return pool.query(
            "SELECT name, document, status, deletion, updated_at FROM application_sets ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(ApplicationSetRepository::to).toList());
  }

  public Future<Void> updateStatus(String name, JsonObject status) {
    return pool.preparedQuery("UPDATE application_sets SET status = $2 WHERE name = $1")
        .execute(Tuple.of(name, status))
        .mapEmpty();
  }

  private static StoredApplicationSet to(Row row) {
    JsonObject status = (JsonObject) row.getValue("status");
    JsonObject deletion = (JsonObject) row.getValue("deletion");
    if (deletion != null) {
      // Shown with the status so that every reader (REST, gRPC, CLI) sees the progress.
      status = (status == null ? new JsonObject() : status.copy()).put("deletion", deletion);
    }
    return new StoredApplicationSet(
        row.getString("name"),
        (JsonObject) row.getValue("document"),
        status,
        row.getOffsetDateTime("updated_at"));
  }
}
