package dev.flotilla.controlplane.metrics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link FleetSnapshot} from Postgres: four read-only statements, each one pass over its
 * table, run by the refresher on a timer or after a change, never by a scrape.
 */
public final class MetricsRepository {

  private static final String APPLICATIONS =
      "SELECT a.name, a.project,"
          + " COALESCE(a.document->'metadata'->>'namespace', '') AS namespace,"
          + " COALESCE(c.server, a.document->'spec'->'destination'->>'server', '') AS dest_server,"
          + " COALESCE(a.document->'spec'->'destination'->>'namespace', '') AS dest_namespace,"
          + " COALESCE(a.document->'spec'->'source'->>'repoURL',"
          + "          a.document->'spec'->'sources'->0->>'repoURL', '') AS repo,"
          + " (a.document->'spec'->'syncPolicy'->'automated') IS NOT NULL"
          + "   AND jsonb_typeof(a.document->'spec'->'syncPolicy'->'automated') <> 'null'"
          + "   AS auto_sync,"
          + " COALESCE(s.sync_status, 'Unknown') AS sync_status,"
          + " COALESCE(s.health, 'Unknown') AS health,"
          + " (a.cluster IS NOT NULL AND a.dispatch_error IS NULL"
          + "   AND (s.generation IS NULL OR s.generation < a.generation)) AS syncing"
          + " FROM applications a"
          + " LEFT JOIN clusters c ON c.name = a.cluster"
          + " LEFT JOIN application_status s ON s.application = a.name";

  private static final String CLUSTERS =
      "SELECT name, server, COALESCE(agent_version, '') AS agent_version, connected FROM clusters";

  private static final String APPLICATION_SETS =
      "SELECT name, COALESCE(document->'metadata'->>'namespace', '') AS namespace, status"
          + " FROM application_sets";

  private static final String DRIFT_AND_DISPATCH =
      "SELECT (SELECT count(*) FROM drift_objects WHERE healed_at IS NULL) AS drift_open,"
          + " (SELECT COALESCE(sum(heals), 0) FROM drift_objects) AS drift_heals,"
          + " p.pending, p.oldest"
          + " FROM (SELECT count(*) AS pending,"
          + "   COALESCE(EXTRACT(EPOCH FROM now() - min(a.updated_at)), 0)::float8 AS oldest"
          + "   FROM applications a JOIN clusters c ON c.name = a.cluster AND c.connected"
          + "   WHERE a.acked_generation < a.generation AND a.dispatch_error IS NULL) p";

  private final Pool pool;

  public MetricsRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<FleetSnapshot> load() {
    Future<RowSet<Row>> apps = pool.query(APPLICATIONS).execute();
    Future<RowSet<Row>> clusters = pool.query(CLUSTERS).execute();
    Future<RowSet<Row>> sets = pool.query(APPLICATION_SETS).execute();
    Future<RowSet<Row>> totals = pool.query(DRIFT_AND_DISPATCH).execute();
    return Future.all(apps, clusters, sets, totals)
        .map(
            all -> {
              Row t = totals.result().iterator().next();
              return new FleetSnapshot(
                  applications(apps.result()),
                  clusters(clusters.result()),
                  applicationSets(sets.result()),
                  t.getLong("drift_open"),
                  ((Number) t.getValue("drift_heals")).longValue(),
                  t.getLong("pending"),
                  Math.max(0, t.getDouble("oldest")));
            });
  }

  private static List<FleetSnapshot.App> applications(RowSet<Row> rows) {
    List<FleetSnapshot.App> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(
          new FleetSnapshot.App(
              r.getString("name"),
              r.getString("namespace"),
              r.getString("project"),
              r.getString("dest_server"),
              r.getString("dest_namespace"),
              r.getString("repo"),
              r.getString("sync_status"),
              r.getString("health"),
              Boolean.TRUE.equals(r.getBoolean("auto_sync")),
              Boolean.TRUE.equals(r.getBoolean("syncing")) ? "sync" : ""));
    }
    return out;
  }

  private static List<FleetSnapshot.Cluster> clusters(RowSet<Row> rows) {
    List<FleetSnapshot.Cluster> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(
          new FleetSnapshot.Cluster(
              r.getString("name"),
              r.getString("server"),
              r.getString("agent_version"),
              Boolean.TRUE.equals(r.getBoolean("connected"))));
    }
    return out;
  }

  private static List<FleetSnapshot.AppSet> applicationSets(RowSet<Row> rows) {
    List<FleetSnapshot.AppSet> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(
          new FleetSnapshot.AppSet(
              r.getString("name"),
              r.getString("namespace"),
              upToDate(r.getValue("status") instanceof JsonObject o ? o : new JsonObject())));
    }
    return out;
  }

  /** The ResourcesUpToDate condition's status, Unknown before the first generation. */
  static String upToDate(JsonObject status) {
    JsonArray conditions = status.getJsonArray("conditions", new JsonArray());
    for (Object c : conditions) {
      if (c instanceof JsonObject o && "ResourcesUpToDate".equals(o.getString("type"))) {
        return o.getString("status", "Unknown");
      }
    }
    return "Unknown";
  }
}
