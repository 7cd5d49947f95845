package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drift reported by agents, and the fleet-wide report over it. Each occurrence (an object found
 * different from Git, until it is equal again) is one row of {@code drift_events}, stored when the
 * agent reports it open and updated when it reports it closed; a trigger folds the occurrences of
 * each object into {@code drift_objects} (one row per object), which is what the report reads.
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
          + " AND ($4::text IS NULL OR o.kind = $4)"
          + " AND ($5::boolean IS NULL OR (o.healed_at IS NOT NULL) = $5)"
          + " AND ($6::timestamptz IS NULL OR o.last_seen >= $6)";

  private static final String COLUMNS =
      "SELECT o.cluster, o.project, o.application, o.api_group, o.kind, o.namespace, o.name,"
          + " o.change, o.fields::text AS fields_text, o.first_seen, o.last_seen, o.occurrences,"
          + " o.heals, o.healed_at, o.last_healed_at, o.healed_by, o.drift_kind";

  /**
   * One page, limited to the Applications the caller may see: $7 lists them when that is the
   * shorter list, $8 lists those it may not see otherwise, and both are null when it sees all.
   */
  private static final String PAGE =
      COLUMNS
          + ", o.id"
          + FROM_WHERE
          + " AND ($7::text[] IS NULL OR o.application = ANY($7))"
          + " AND ($8::text[] IS NULL OR o.application <> ALL($8))"
          + " AND ($11::timestamptz IS NULL OR (o.last_seen, o.id) < ($11::timestamptz, $12::bigint))"
          + " ORDER BY o.last_seen DESC, o.id DESC LIMIT $9 OFFSET $10";

  /**
   * Counts per Application (at most one row per drifted Application): few enough to decide
   * visibility for each in Java, where the policy lives.
   */
  private static final String GROUPS =
      "SELECT o.cluster, o.project, o.application, count(*) AS objects,"
          + " count(*) FILTER (WHERE o.healed_at IS NULL) AS unhealed,"
          + " sum(o.occurrences)::bigint AS events"
          + FROM_WHERE
          + " GROUP BY o.cluster, o.project, o.application";

  private static final String ONE_OBJECT =
      COLUMNS
          + " FROM drift_objects o WHERE o.application = $1 AND o.cluster = $2"
          + " AND o.api_group = $3 AND o.kind = $4 AND o.namespace = $5 AND o.name = $6";

  /**
   * Applications whose status is OutOfSync while none of their entries is open, at most {@value
   * #MAX_OUT_OF_SYNC_LISTED}: the report names them rather than read as "everything matches".
   */
  private static final String OUT_OF_SYNC =
      "SELECT a.name, a.project FROM applications a"
          + " JOIN application_status s ON s.application = a.name"
          + " WHERE s.sync_status = 'OutOfSync'"
          + " AND ($1::text IS NULL OR a.cluster = $1)"
          + " AND ($2::text IS NULL OR a.project = $2)"
          + " AND ($3::text IS NULL OR a.name = $3)"
          + " AND NOT EXISTS (SELECT 1 FROM drift_objects o"
          + " WHERE o.application = a.name AND o.healed_at IS NULL)"
          + " ORDER BY a.name LIMIT "
          + DriftRepository.MAX_OUT_OF_SYNC_LISTED;

  static final int MAX_OUT_OF_SYNC_LISTED = 1000;

  private final Pool pool;
  private final Clock clock;
  private final DriftEventRepository events;

  /**
   * @param clock stamps a drift event the agent sent without its own time
   */
  public DriftRepository(Pool pool, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.events = new DriftEventRepository(pool, this);
  }

  /**
   * Stores one report from the agent of {@code cluster}: a new occurrence, or news of one already
   * stored (same object, same detection time) — what differs now while it is open, or its close. A
   * closed occurrence never reopens, so a redelivered or late report changes nothing and recurrence
   * counts stay true under at-least-once delivery in any order. Reports for Applications not
   * assigned to that cluster are dropped (an agent speaks only for its own cluster). Secret values
   * are masked again before they are stored.
   *
   * @return the object as the report shows it now, this report included; empty when the report was
   *     dropped or changed nothing
   */
  public Future<Optional<DriftedObject>> record(String cluster, DriftEvent e) {
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
    boolean healed = e.getHealedAtUnixMs() != 0;
    return pool.preparedQuery(
            "INSERT INTO drift_events (cluster, application, api_group, kind, namespace, name, fields,"
                + " change, detected_at, healed_at, healed_by, drift_kind)"
                + " SELECT $1, name, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM applications"
                + " WHERE name = $2 AND cluster = $1"
                + " ON CONFLICT (application, cluster, api_group, kind, namespace, name, detected_at)"
                + " DO UPDATE SET fields = EXCLUDED.fields, change = EXCLUDED.change,"
                + " drift_kind = EXCLUDED.drift_kind, healed_at = EXCLUDED.healed_at,"
                + " healed_by = EXCLUDED.healed_by"
                + " WHERE drift_events.healed_at IS NULL"
                + " AND (EXCLUDED.healed_at IS NOT NULL OR EXCLUDED.fields <> drift_events.fields"
                + " OR EXCLUDED.change <> drift_events.change"
                + " OR EXCLUDED.drift_kind <> drift_events.drift_kind)")
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
                .addOffsetDateTime(healed ? time(e.getHealedAtUnixMs()) : null)
                .addString(healed ? healedBy(e) : null)
                .addString(driftKind(e)))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              return pool.preparedQuery(ONE_OBJECT)
                  .execute(
                      Tuple.of(
                          e.getApplication(),
                          cluster,
                          r.getGroup(),
                          r.getKind(),
                          r.getNamespace(),
                          r.getName()))
                  .map(
                      found ->
                          found.size() == 0
                              ? Optional.<DriftedObject>empty() // deleted meanwhile
                              : Optional.of(toObject(found.iterator().next())));
            });
  }

  /**
   * The most recent events, newest first, optionally for one Application, of the Applications
   * {@code scope} shows.
   */
  public Future<List<JsonObject>> recent(String applicationOrNull, int limit, DriftScope scope) {
    return events.recent(applicationOrNull, limit, null, scope).map(Page::items);
  }

  /**
   * One page of {@link #recent(String, int, DriftScope)}: the events strictly after {@code after}
   * by (detected at, id), or from the newest when null; the token is that key of the last event
   * read, present when the page is full.
   */
  public Future<Page<JsonObject>> recent(
      String applicationOrNull, int limit, KeysetToken after, DriftScope scope) {
    return events.recent(applicationOrNull, limit, after, scope);
  }

  /**
   * The drift report as {@code scope} sees it: one page of the visible drifted objects matching
   * {@code query}, newest first, with totals over every visible matching object. What the scope
   * hides is left out of the items and of every total, so nothing leaks through counts.
   *
   * @param teams the teams of each project, asked only about projects that have visible drift
   */
  public Future<DriftReport> report(DriftQuery query, DriftScope scope, ProjectTeams teams) {
    // Only the healed entries asked for: whether anything is out of sync is not the question.
    Future<List<String>> outOfSync =
        Boolean.TRUE.equals(query.healed())
            ? Future.succeededFuture(List.of())
            : outOfSyncWithoutEntries(query, scope);
    return entries(query, scope, teams)
        .compose(report -> outOfSync.map(report::withOutOfSyncApplications));
  }

  /** Visible Applications matching the filters that are OutOfSync with no open entry. */
  Future<List<String>> outOfSyncWithoutEntries(DriftQuery query, DriftScope scope) {
    return pool.preparedQuery(OUT_OF_SYNC)
        .execute(Tuple.of(query.cluster(), query.project(), query.application()))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              for (Row row : rows) {
                if (scope.sees(row.getString("project"), row.getString("name"))) {
                  out.add(row.getString("name"));
                }
              }
              return out;
            });
  }

  private Future<DriftReport> entries(DriftQuery query, DriftScope scope, ProjectTeams teams) {
    return groups(query)
        .compose(
            groups -> {
              DriftVisibility visible = DriftVisibility.of(groups, scope);
              if (visible.groups().isEmpty()) {
                return Future.succeededFuture(
                    DriftReport.of(List.of(), List.of(), Map.of(), query));
              }
              // The page and the team lookup do not wait for each other.
              Future<Page<DriftedObject>> items = page(query, visible);
              Future<Map<String, Set<String>>> owners = teams.of(visible.projects());
              return Future.all(items, owners)
                  .map(
                      v ->
                          DriftReport.of(
                              items.result().items(),
                              visible.groups(),
                              owners.result(),
                              query,
                              items.result().nextPageToken()));
            });
  }

  /** Counts per (cluster, project, Application) matching the filters, visible or not. */
  Future<List<DriftReport.Group>> groups(DriftQuery query) {
    return pool.preparedQuery(GROUPS)
        .execute(filters(query))
        .map(
            rows -> {
              List<DriftReport.Group> out = new ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      out.add(
                          new DriftReport.Group(
                              row.getString("cluster"),
                              row.getString("project"),
                              row.getString("application"),
                              row.getLong("objects"),
                              row.getLong("unhealed"),
                              row.getLong("events"))));
              return out;
            });
  }

  /**
   * One page, and the token of the next: the (last seen, id) key of the last row read, present when
   * the page is full. The pageToken, when given, replaces the offset.
   */
  private Future<Page<DriftedObject>> page(DriftQuery query, DriftVisibility visible) {
    KeysetToken after = query.after();
    Tuple page =
        filters(query)
            .addArrayOfString(visible.only())
            .addArrayOfString(visible.except())
            .addInteger(query.limit())
            .addInteger(after == null ? query.offset() : 0)
            .addValue(after == null ? null : after.at().atOffset(ZoneOffset.UTC))
            .addValue(after == null ? null : after.id());
    return pool.preparedQuery(PAGE)
        .execute(page)
        .map(
            rows -> {
              List<DriftedObject> out = new ArrayList<>(rows.size());
              KeysetToken last = null;
              for (Row row : rows) {
                last =
                    new KeysetToken(
                        row.getOffsetDateTime("last_seen").toInstant(), row.getLong("id"));
                DriftedObject o = toObject(row);
                // Drift of an Application that appeared after the counts were taken is not
                // among those decided on: leave it out rather than show it unchecked.
                if (visible.applications().contains(o.application())) {
                  out.add(o);
                }
              }
              boolean full = rows.size() == query.limit();
              return new Page<>(out, full ? last.encode() : "");
            });
  }

  private static Tuple filters(DriftQuery q) {
    return Tuple.tuple()
        .addString(q.cluster())
        .addString(q.project())
        .addString(q.application())
        .addString(q.kind())
        .addValue(q.healed())
        .addOffsetDateTime(
            q.since() == null ? null : OffsetDateTime.ofInstant(q.since(), ZoneOffset.UTC));
  }

  static DriftedObject toObject(Row r) {
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
        instant(r.getOffsetDateTime("last_healed_at")),
        r.getString("healed_by"),
        r.getString("drift_kind"));
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

  /** Agents older than healed_by reported only what their self-heal reverted. */
  private static String healedBy(DriftEvent e) {
    String by = e.getHealedBy();
    return by.isEmpty() ? DriftedObject.SELF_HEAL : by;
  }

  private static String driftKind(DriftEvent e) {
    return e.getDriftKind() == dev.flotilla.proto.agent.v1.DriftKind.DRIFT_KIND_PENDING_SYNC
        ? DriftedObject.PENDING_SYNC
        : DriftedObject.DRIFT;
  }

  private OffsetDateTime time(long unixMs) {
    return OffsetDateTime.ofInstant(
        unixMs == 0 ? clock.instant() : Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
  }
}
