package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationFilter;
import dev.flotilla.controlplane.application.ApplicationListQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The light rows behind the Applications page. The filters are pushed down to SQL by the same
 * {@link ApplicationListQuery#conditions} as the REST list; free text and visibility are applied by
 * {@link ApplicationsListing}, so that the counts at the top of the page and the page itself come
 * from one read.
 */
public final class UiApplicationRepository {

  private final Pool pool;

  public UiApplicationRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<AppSummary>> summaries(ApplicationFilter filter) {
    List<Object> params = new ArrayList<>();
    List<String> where = ApplicationListQuery.conditions(filter, params);
    String sql =
        "SELECT a.name, a.project, a.cluster, a.application_set,"
            + " coalesce(s.sync_status, 'Unknown') AS sync_status,"
            + " coalesce(s.health, 'Unknown') AS health, coalesce(s.health_message, '') AS hm,"
            + " coalesce(a.document #>> '{spec,source,repoURL}',"
            + " a.document #>> '{spec,sources,0,repoURL}', '') AS repo,"
            + " coalesce(a.document #>> '{spec,source,targetRevision}',"
            + " a.document #>> '{spec,sources,0,targetRevision}', 'HEAD') AS target,"
            + " coalesce(s.revision, '') AS revision, s.last_synced_at,"
            + " a.document -> 'metadata' -> 'labels' AS labels"
            + " FROM applications a LEFT JOIN application_status s ON s.application = a.name"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
    return pool.preparedQuery(sql)
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<AppSummary> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(summary(r));
              }
              return out;
            });
  }

  /** The project of each named Application that exists. */
  public Future<Map<String, String>> projectsOf(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT name, project FROM applications WHERE name = ANY($1)")
        .execute(Tuple.of(names.toArray(new String[0])))
        .map(
            rows -> {
              Map<String, String> out = new TreeMap<>();
              rows.forEach(r -> out.put(r.getString("name"), r.getString("project")));
              return out;
            });
  }

  private static AppSummary summary(Row r) {
    OffsetDateTime synced = r.getOffsetDateTime("last_synced_at");
    Object labels = r.getValue("labels");
    Map<String, String> map = new TreeMap<>();
    if (labels instanceof JsonObject json) {
      json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new AppSummary(
        r.getString("name"),
        r.getString("project"),
        r.getString("cluster") == null ? "" : r.getString("cluster"),
        r.getString("application_set") == null ? "" : r.getString("application_set"),
        r.getString("sync_status"),
        r.getString("health"),
        r.getString("hm"),
        r.getString("repo"),
        r.getString("target"),
        r.getString("revision"),
        synced == null ? null : synced.toInstant(),
        map);
  }
}
