package dev.flotilla.controlplane.application;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Every sync operation's result per Application ({@code application_operation_log}), written from
 * the agents' status reports in the transaction that stores the status, and the one step the
 * control plane takes on an operation itself: marking it Terminating when asked to stop it.
 */
public final class ApplicationOperationRepository {

  /** Operations kept per Application; older ones are dropped (bounded like every input). */
  static final int KEEP = 100;

  private final Pool pool;

  public ApplicationOperationRepository(Pool pool) {
    this.pool = pool;
  }

  /** The Application's operations, newest first, in the JSON shape of {@link SyncOperation}. */
  public Future<List<JsonObject>> list(String application) {
    return pool.preparedQuery(
            "SELECT id, phase, message, revision, started_at, finished_at, retry_count,"
                + " initiated_by, resources FROM application_operation_log WHERE application = $1"
                + " ORDER BY started_at DESC, id")
        .execute(Tuple.of(application))
        .map(rows -> rows.stream().map(ApplicationOperationRepository::json).toList());
  }

  /**
   * Who an operation is credited to: as recorded before, else (a requested sync or rollback) the
   * caller of the pending request for its revision, else {@code requested}.
   */
  Future<String> initiator(SqlClient tx, String application, String id, String revision) {
    return tx.preparedQuery(
            "SELECT COALESCE((SELECT initiated_by FROM application_operation_log"
                + " WHERE application = $1 AND id = $2),"
                + " (SELECT initiated_by FROM application_operations WHERE application = $1"
                + " AND (revision = '' OR revision = $3)), 'requested') AS who")
        .execute(Tuple.of(application, id, revision))
        .map(rows -> rows.iterator().next().getString("who"));
  }

  /**
   * Writes the operation as reported now; a different operation still running is closed as
   * superseded when this one started, and the oldest beyond {@link #KEEP} are dropped.
   */
  Future<Void> record(SqlClient tx, String application, JsonObject op) {
    OffsetDateTime started = at(op.getString("startedAt"));
    return tx.preparedQuery(
            "INSERT INTO application_operation_log (application, id, phase, message, revision,"
                + " started_at, finished_at, retry_count, initiated_by, resources)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                + " ON CONFLICT (application, id) DO UPDATE SET phase = EXCLUDED.phase,"
                + " message = EXCLUDED.message, finished_at = EXCLUDED.finished_at,"
                + " retry_count = EXCLUDED.retry_count, resources = EXCLUDED.resources")
        .execute(
            Tuple.tuple()
                .addString(application)
                .addString(op.getString("id"))
                .addString(op.getString("phase"))
                .addString(op.getString("message", ""))
                .addString(op.getString("revision", ""))
                .addOffsetDateTime(started)
                .addOffsetDateTime(at(op.getString("finishedAt")))
                .addInteger(op.getInteger("retryCount", 0))
                .addString(op.getString("initiatedBy"))
                .addValue(op.getJsonArray("resources", new JsonArray())))
        .compose(
            v ->
                tx.preparedQuery(
                        "UPDATE application_operation_log SET phase = 'Failed', finished_at = $3,"
                            + " message = 'superseded by a newer operation'"
                            + " || CASE WHEN message = '' THEN '' ELSE ' (was: ' || message || ')' END"
                            + " WHERE application = $1 AND id <> $2"
                            + " AND phase IN ('Running', 'Terminating') AND started_at <= $3")
                    .execute(Tuple.of(application, op.getString("id"), started)))
        .compose(
            v ->
                tx.preparedQuery(
                        "DELETE FROM application_operation_log WHERE application = $1 AND id IN"
                            + " (SELECT id FROM application_operation_log WHERE application = $1"
                            + " ORDER BY started_at DESC, id OFFSET $2)")
                    .execute(Tuple.of(application, KEEP)))
        .mapEmpty();
  }

  /**
   * Marks the Application's running operation Terminating, in its status and its log entry.
   *
   * @return the operation's id, or empty when none is running
   */
  public Future<Optional<String>> markTerminating(String application) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE application_status SET operation_state = jsonb_set(operation_state,"
                        + " '{phase}', '\"Terminating\"') WHERE application = $1"
                        + " AND operation_state ->> 'phase' IN ('Running', 'Terminating')"
                        + " RETURNING operation_state ->> 'id' AS id")
                .execute(Tuple.of(application))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<String>empty());
                      }
                      String id = rows.iterator().next().getString("id");
                      return tx.preparedQuery(
                              "UPDATE application_operation_log SET phase = 'Terminating'"
                                  + " WHERE application = $1 AND id = $2 AND phase = 'Running'")
                          .execute(Tuple.of(application, id))
                          .map(Optional.of(id));
                    }));
  }

  private static JsonObject json(Row r) {
    Object resources = r.getValue("resources");
    return new JsonObject()
        .put("id", r.getString("id"))
        .put("phase", r.getString("phase"))
        .put("message", r.getString("message"))
        .put("revision", r.getString("revision"))
        .put("startedAt", text(r.getOffsetDateTime("started_at")))
        .put("finishedAt", text(r.getOffsetDateTime("finished_at")))
        .put("retryCount", r.getInteger("retry_count"))
        .put("initiatedBy", r.getString("initiated_by"))
        .put("resources", resources instanceof JsonArray a ? a : new JsonArray());
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static OffsetDateTime at(String iso) {
    return iso == null ? null : Instant.parse(iso).atOffset(ZoneOffset.UTC);
  }
}
