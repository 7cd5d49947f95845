package dev.flotilla.controlplane.drift;

import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Drift events reported by agents. */
public final class DriftRepository {

  private final Pool pool;

  public DriftRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores one event from the agent of {@code cluster}; events for Applications not assigned to
   * that cluster are dropped (an agent speaks only for its own cluster).
   */
  public Future<Boolean> record(String cluster, DriftEvent e) {
    JsonArray fields = new JsonArray();
    for (FieldDiff f : e.getFieldsList()) {
      fields.add(
          new JsonObject()
              .put("path", f.getPath())
              .put("desired", f.getDesired())
              .put("live", f.getLive()));
    }
    var r = e.getResource();
    return pool.preparedQuery(
            "INSERT INTO drift_events (cluster, application, api_group, kind, namespace, name, fields,"
                + " change, detected_at, healed_at)"
                + " SELECT $1, name, $3, $4, $5, $6, $7, $8, $9, $10 FROM applications"
                + " WHERE name = $2 AND cluster = $1")
        .execute(
            Tuple.tuple()
                .addString(cluster)
                .addString(e.getApplication())
                .addString(r.getGroup())
                .addString(r.getKind())
                .addString(r.getNamespace())
                .addString(r.getName())
                .addValue(fields)
                .addString(r.getMessage().isEmpty() ? "edited" : r.getMessage())
                .addOffsetDateTime(time(e.getDetectedAtUnixMs()))
                .addOffsetDateTime(e.getHealedAtUnixMs() == 0 ? null : time(e.getHealedAtUnixMs())))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The most recent events, newest first, optionally for one Application. */
  public Future<List<JsonObject>> recent(String applicationOrNull, int limit) {
    String sql =
        "SELECT cluster, application, api_group, kind, namespace, name, fields, change, detected_at,"
            + " healed_at FROM drift_events"
            + (applicationOrNull == null ? " WHERE $1::text IS NULL" : " WHERE application = $1")
            + " ORDER BY detected_at DESC, id DESC LIMIT $2";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(applicationOrNull, limit))
        .map(rows -> rows.stream().map(DriftRepository::toJson).toList());
  }

  private static JsonObject toJson(Row r) {
    OffsetDateTime healed = r.getOffsetDateTime("healed_at");
    return new JsonObject()
        .put("cluster", r.getString("cluster"))
        .put("application", r.getString("application"))
        .put("group", r.getString("api_group"))
        .put("kind", r.getString("kind"))
        .put("namespace", r.getString("namespace"))
        .put("name", r.getString("name"))
        .put("change", r.getString("change"))
        .put("fields", r.getValue("fields"))
        .put("detectedAt", r.getOffsetDateTime("detected_at").toString())
        .put("healedAt", healed == null ? null : healed.toString());
  }

  private static OffsetDateTime time(long unixMs) {
    return OffsetDateTime.ofInstant(
        unixMs == 0 ? Instant.now() : Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
  }
}
