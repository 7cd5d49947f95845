package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.query.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw drift events (one per occurrence), newest first, as {@code GET /api/v1/drift/events}
 * lists them; scoped like the report, from whose counts it learns what a scope shows.
 */
final class DriftEventRepository {

  private final Pool pool;
  private final DriftRepository drift;

  DriftEventRepository(Pool pool, DriftRepository drift) {
    this.pool = pool;
    this.drift = drift;
  }

  /**
   * One page of {@link DriftRepository#recent(String, int, DriftScope)}: the events strictly after
   * {@code after} by (detected at, id), or from the newest when null; the token is that key of the
   * last event read, present when the page is full.
   */
  Future<Page<JsonObject>> recent(
      String applicationOrNull, int limit, KeysetToken after, DriftScope scope) {
    return drift
        .groups(DriftQuery.all().withApplication(applicationOrNull))
        .compose(
            groups -> {
              DriftVisibility visible = DriftVisibility.of(groups, scope);
              if (visible.groups().isEmpty()) {
                return Future.succeededFuture(new Page<JsonObject>(List.of(), ""));
              }
              return pool.preparedQuery(
                      "SELECT id, cluster, application, api_group, kind, namespace, name, fields,"
                          + " change, detected_at, healed_at, healed_by, drift_kind FROM drift_events"
                          + " WHERE ($1::text IS NULL OR application = $1)"
                          + " AND ($2::text[] IS NULL OR application = ANY($2))"
                          + " AND ($3::text[] IS NULL OR application <> ALL($3))"
                          + " AND ($5::timestamptz IS NULL"
                          + " OR (detected_at, id) < ($5::timestamptz, $6::bigint))"
                          + " ORDER BY detected_at DESC, id DESC LIMIT $4")
                  .execute(
                      Tuple.tuple()
                          .addString(applicationOrNull)
                          .addArrayOfString(visible.only())
                          .addArrayOfString(visible.except())
                          .addInteger(limit)
                          .addValue(after == null ? null : after.at().atOffset(ZoneOffset.UTC))
                          .addValue(after == null ? null : after.id()))
                  .map(
                      rows -> {
                        List<JsonObject> out = new ArrayList<>(rows.size());
                        KeysetToken last = null;
                        for (Row row : rows) {
                          last =
                              new KeysetToken(
                                  row.getOffsetDateTime("detected_at").toInstant(),
                                  row.getLong("id"));
                          if (visible.applications().contains(row.getString("application"))) {
                            out.add(toJson(row));
                          }
                        }
                        return new Page<>(out, rows.size() == limit ? last.encode() : "");
                      });
            });
  }

  private static JsonObject toJson(Row r) {
    OffsetDateTime healed = r.getOffsetDateTime("healed_at");
    String kind = r.getString("kind");
    return new JsonObject()
        .put("cluster", r.getString("cluster"))
        .put("application", r.getString("application"))
        .put("group", r.getString("api_group"))
        .put("kind", kind)
        .put("namespace", r.getString("namespace"))
        .put("name", r.getString("name"))
        .put("change", r.getString("change"))
        .put("fields", SecretMasking.maskFields(kind, (JsonArray) r.getValue("fields")))
        .put("detectedAt", r.getOffsetDateTime("detected_at").toString())
        .put("healedAt", healed == null ? null : healed.toString())
        .put("healedBy", r.getString("healed_by"))
        .put("driftKind", r.getString("drift_kind"));
  }
}
