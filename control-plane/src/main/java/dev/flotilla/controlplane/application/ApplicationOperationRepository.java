package dev.flotilla.controlplane.application;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * Who each operation is credited to, in {@code statuses}' order: as recorded before, else (a
   * requested sync or rollback) the caller of the pending request for its revision, else {@code
   * requested}. One round trip for all of them.
   */
  Future<List<String>> initiators(SqlClient tx, List<ApplicationStatus> statuses) {
    if (statuses.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> keys = new ArrayList<>(statuses.size());
    for (ApplicationStatus s : statuses) {
      var op = s.getOperationState();
      keys.add(Tuple.of(s.getApplication(), op.getId(), op.getRevision()));
    }
    return tx.preparedQuery(
            "SELECT COALESCE((SELECT initiated_by FROM application_operation_log"
                + " WHERE application = $1 AND id = $2),"
                + " (SELECT initiated_by FROM application_operations WHERE application = $1"
                + " AND (revision = '' OR revision = $3)), 'requested') AS who")
        .executeBatch(keys)
        .map(
            rows -> {
              List<String> who = new ArrayList<>(keys.size());
              for (RowSet<Row> r = rows; r != null; r = r.next()) {
                who.add(r.iterator().next().getString("who"));
              }
              return who;
            });
  }

  /**
   * Writes each Application's operation as reported now; a different operation still running is
   * closed as superseded when this one started, and the oldest beyond {@link #KEEP} are dropped.
   * Three statements for all of them; the Applications must be distinct, as each step of one relies
   * on the step before.
   */
  Future<Void> record(SqlClient tx, Map<String, JsonObject> operationsByApplication) {
    if (operationsByApplication.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> writes = new ArrayList<>();
    List<Tuple> supersede = new ArrayList<>();
    List<Tuple> trims = new ArrayList<>();
    operationsByApplication.forEach(
        (application, op) -> {
          OffsetDateTime started = at(op.getString("startedAt"));
          writes.add(
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
                  .addValue(op.getJsonArray("resources", new JsonArray())));
          supersede.add(Tuple.of(application, op.getString("id"), started));
          trims.add(Tuple.of(application, KEEP));
        });
    return tx.preparedQuery(
            "INSERT INTO application_operation_log (application, id, phase, message, revision,"
                + " started_at, finished_at, retry_count, initiated_by, resources)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                + " ON CONFLICT (application, id) DO UPDATE SET phase = EXCLUDED.phase,"
                + " message = EXCLUDED.message, finished_at = EXCLUDED.finished_at,"
                + " retry_count = EXCLUDED.retry_count, resources = EXCLUDED.resources")
        .executeBatch(writes)
        .compose(
            v ->
                tx.preparedQuery(
                        "UPDATE application_operation_log SET phase = 'Failed', finished_at = $3,"
                            + " message = 'superseded by a newer operation'"
                            + " || CASE WHEN message = '' THEN '' ELSE ' (was: ' || message || ')' END"
                            + " WHERE application = $1 AND id <> $2"
                            + " AND phase IN ('Running', 'Terminating') AND started_at <= $3")
                    .executeBatch(supersede))
        .compose(
            v ->
                tx.preparedQuery(
                        "DELETE FROM application_operation_log WHERE application = $1 AND id IN"
                            + " (SELECT id FROM application_operation_log WHERE application = $1"
                            + " ORDER BY started_at DESC, id OFFSET $2)")
                    .executeBatch(trims))
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
