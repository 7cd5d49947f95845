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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift events reported by agents, and the fleet-wide report over them. Each event is kept in
 * {@code drift_events}; a trigger folds it into {@code drift_objects} (one row per drifted object),
 * which is what the report reads.
 */
public final class DriftRepository {

  /**
   * Filters shared by the page and the totals query. Every filter is a parameter that is null when
   * unused, so there is one fixed prepared statement per query whatever the caller filters on.
   */
  private static final String FROM_WHERE =
      " FROM drift_objects o"
          + " WHERE ($1::text IS NULL OR o.cluster = $1)"
          + " AND ($2::text IS NULL OR o.project = $2)"
          + " AND ($3::text IS NULL OR o.application = $3)"
          + " AND ($4::boolean IS NULL OR (o.healed_at IS NOT NULL) = $4)"
          + " AND ($5::timestamptz IS NULL OR o.last_seen >= $5)"
          + " AND ($6::text[] IS NULL OR o.project = ANY($6))";

  private static final String PAGE =
      "SELECT o.cluster, o.project, o.application, o.api_group, o.kind, o.namespace, o.name,"
          + " o.change, o.fields::text AS fields_text, o.first_seen, o.last_seen, o.occurrences, o.heals, o.healed_at,"
          + " o.last_healed_at"
          + FROM_WHERE
          + " ORDER BY o.last_seen DESC, o.id DESC LIMIT $7 OFFSET $8";

  private static final String TOTALS =
      "SELECT o.cluster, o.project, count(*) AS objects,"
          + " count(*) FILTER (WHERE o.healed_at IS NULL) AS unhealed,"
          + " sum(o.occurrences)::bigint AS events"
          + FROM_WHERE
          + " GROUP BY o.cluster, o.project";

  private final Pool pool;

  public DriftRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores one event from the agent of {@code cluster}; events for Applications not assigned to
   * that cluster are dropped (an agent speaks only for its own cluster), and so is a redelivery of
   * an event already stored (same object, same detection time), so recurrence counts stay true
   * under at-least-once delivery. Secret values are masked again before they are stored.
   */
  public Future<Boolean> record(String cluster, DriftEvent e) {
    var r = e.getResource();
    JsonArray fields = new JsonArray();
    for (FieldDiff f : e.getFieldsList()) {
      fields.add(
          new JsonObject()
              .put("path", f.getPath())
              .put("desired", f.getDesired())
              .put("live", f.getLive()));
    }
    fields = SecretMasking.maskFields(r.getKind(), fields);
    return pool.preparedQuery(
            "INSERT INTO drift_events (cluster, application, api_group, kind, namespace, name, fields,"
                + " change, detected_at, healed_at)"
                + " SELECT $1, name, $3, $4, $5, $6, $7, $8, $9, $10 FROM applications"
                + " WHERE name = $2 AND cluster = $1"
                + " AND NOT EXISTS (SELECT 1 FROM drift_events d WHERE d.application = $2"
                + " AND d.cluster = $1 AND d.kind = $4 AND d.name = $6 AND d.detected_at = $9"
                + " AND d.api_group = $3 AND d.namespace = $5)")
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

  /**
   * The drift report: one page of drifted objects matching {@code query}, newest first, with totals
   * over every matching object.
   *
   * @param visibleProjects the projects the caller may see; null means all (no RBAC scoping). Both
   *     the page and the totals are limited to them, so nothing outside leaks through counts.
   * @param teams project → owning team, for the per-team totals
   */
  public Future<DriftReport> report(
      DriftQuery query, Set<String> visibleProjects, Map<String, String> teams) {
    if (visibleProjects != null && visibleProjects.isEmpty()) {
      return Future.succeededFuture(DriftReport.of(List.of(), List.of(), teams, query));
    }
    Tuple filters = filters(query, visibleProjects);
    Tuple page =
        filters(query, visibleProjects).addInteger(query.limit()).addInteger(query.offset());
    // Two statements on two connections at once: the page and the totals do not wait for each
    // other.
    Future<List<DriftedObject>> items =
        pool.preparedQuery(PAGE)
            .execute(page)
            .map(
                rows -> {
                  List<DriftedObject> out = new ArrayList<>(rows.size());
                  rows.forEach(row -> out.add(toObject(row)));
                  return out;
                });
    Future<List<DriftReport.Group>> groups =
        pool.preparedQuery(TOTALS)
            .execute(filters)
            .map(
                rows -> {
                  List<DriftReport.Group> out = new ArrayList<>();
                  rows.forEach(
                      row ->
                          out.add(
                              new DriftReport.Group(
                                  row.getString("cluster"),
                                  row.getString("project"),
                                  row.getLong("objects"),
                                  row.getLong("unhealed"),
                                  row.getLong("events"))));
                  return out;
                });
    return Future.all(items, groups)
        .map(v -> DriftReport.of(items.result(), groups.result(), teams, query));
  }

  private static Tuple filters(DriftQuery q, Set<String> visibleProjects) {
    return Tuple.tuple()
        .addString(q.cluster())
        .addString(q.project())
        .addString(q.application())
        .addValue(q.healed())
        .addOffsetDateTime(
            q.since() == null ? null : OffsetDateTime.ofInstant(q.since(), ZoneOffset.UTC))
        .addArrayOfString(visibleProjects == null ? null : visibleProjects.toArray(String[]::new));
  }

  private static DriftedObject toObject(Row r) {
    String kind = r.getString("kind");
    return new DriftedObject(
        r.getString("cluster"),
        r.getString("project"),
        r.getString("application"),
        r.getString("api_group"),
        kind,
        r.getString("namespace"),
        r.getString("name"),
        r.getString("change"),
        fieldsJson(kind, r.getString("fields_text")),
        instant(r.getOffsetDateTime("first_seen")),
        instant(r.getOffsetDateTime("last_seen")),
        r.getLong("occurrences"),
        r.getLong("heals"),
        instant(r.getOffsetDateTime("healed_at")),
        instant(r.getOffsetDateTime("last_healed_at")));
  }

  /**
   * Rows are masked when stored; only Secrets pay for parsing to be masked again on the way out.
   */
  private static String fieldsJson(String kind, String text) {
    return SecretMasking.isSecret(kind)
        ? SecretMasking.maskFields(kind, new JsonArray(text)).encode()
        : text;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
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
        .put("healedAt", healed == null ? null : healed.toString());
  }

  private static OffsetDateTime time(long unixMs) {
    return OffsetDateTime.ofInstant(
        unixMs == 0 ? Instant.now() : Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
  }
}
