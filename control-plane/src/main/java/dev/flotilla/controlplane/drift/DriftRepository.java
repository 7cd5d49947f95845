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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
          + " AND ($4::text IS NULL OR o.kind = $4)"
          + " AND ($5::boolean IS NULL OR (o.healed_at IS NOT NULL) = $5)"
          + " AND ($6::timestamptz IS NULL OR o.last_seen >= $6)";

  private static final String COLUMNS =
      "SELECT o.cluster, o.project, o.application, o.api_group, o.kind, o.namespace, o.name,"
          + " o.change, o.fields::text AS fields_text, o.first_seen, o.last_seen, o.occurrences,"
          + " o.heals, o.healed_at, o.last_healed_at";

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

  private final Pool pool;
  private final Clock clock;

  /**
   * @param clock stamps a drift event the agent sent without its own time
   */
  public DriftRepository(Pool pool, Clock clock) {
    this.clock = clock;
    this.pool = pool;
  }

  /**
   * Stores one event from the agent of {@code cluster}; events for Applications not assigned to
   * that cluster are dropped (an agent speaks only for its own cluster), and so is a redelivery of
   * an event already stored (same object, same detection time), so recurrence counts stay true
   * under at-least-once delivery. Secret values are masked again before they are stored.
   *
   * @return the object as the report shows it now, this event included; empty when the event was
   *     dropped
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
    return recent(applicationOrNull, limit, null, scope).map(Page::items);
  }

  /**
   * One page of {@link #recent(String, int, DriftScope)}: the events strictly after {@code after}
   * by (detected at, id), or from the newest when null; the token is that key of the last event
   * read, present when the page is full.
   */
  public Future<Page<JsonObject>> recent(
      String applicationOrNull, int limit, KeysetToken after, DriftScope scope) {
    return groups(DriftQuery.all().withApplication(applicationOrNull))
        .compose(
            groups -> {
              Visible visible = Visible.of(groups, scope);
              if (visible.groups().isEmpty()) {
                return Future.succeededFuture(new Page<JsonObject>(List.of(), ""));
              }
              return pool.preparedQuery(
                      "SELECT id, cluster, application, api_group, kind, namespace, name, fields,"
                          + " change, detected_at, healed_at FROM drift_events"
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

  /**
   * The drift report as {@code scope} sees it: one page of the visible drifted objects matching
   * {@code query}, newest first, with totals over every visible matching object. What the scope
   * hides is left out of the items and of every total, so nothing leaks through counts.
   *
   * @param teams the teams of each project, asked only about projects that have visible drift
   */
  public Future<DriftReport> report(DriftQuery query, DriftScope scope, ProjectTeams teams) {
    return groups(query)
        .compose(
            groups -> {
              Visible visible = Visible.of(groups, scope);
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
  private Future<Page<DriftedObject>> page(DriftQuery query, Visible visible) {
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

  /**
   * The groups a scope shows, and how to tell the page query so in the fewest names.
   *
   * @param only the visible Applications when fewer than the hidden ones, else null
   * @param except the hidden Applications when fewer than the visible ones (null when none)
   */
  private record Visible(
      List<DriftReport.Group> groups,
      Set<String> applications,
      Set<String> projects,
      String[] only,
      String[] except) {

    static Visible of(List<DriftReport.Group> all, DriftScope scope) {
      List<DriftReport.Group> groups = new ArrayList<>(all.size());
      Set<String> applications = new HashSet<>();
      Set<String> projects = new HashSet<>();
      Set<String> hidden = new HashSet<>();
      for (DriftReport.Group g : all) {
        if (scope.sees(g.project(), g.application())) {
          groups.add(g);
          applications.add(g.application());
          projects.add(g.project());
        } else {
          hidden.add(g.application());
        }
      }
      String[] only = null;
      String[] except = null;
      if (!hidden.isEmpty()) {
        if (applications.size() <= hidden.size()) {
          only = applications.toArray(String[]::new);
        } else {
          except = hidden.toArray(String[]::new);
        }
      }
      return new Visible(groups, applications, projects, only, except);
    }
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

  private OffsetDateTime time(long unixMs) {
    return OffsetDateTime.ofInstant(
        unixMs == 0 ? clock.instant() : Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
  }
}
