package dev.flotilla.controlplane.application;

import static java.util.Objects.requireNonNullElse;

import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applications and the status agents report for them. */
public final class ApplicationRepository {

  static final String COLUMNS =
      "name, application_set, project, cluster, document, revision, generation, dispatch_error,"
          + " delete_resources_on_removal";

  private final Pool pool;
  private final ApplicationHistoryRepository history;
  private final ApplicationOperationRepository operations;
  private final ApplicationStatusRepository statuses;

  /**
   * @param clock stamps a status the agent sent without its own time
   */
  public ApplicationRepository(Pool pool, Clock clock) {
    this.pool = pool;
    this.history = new ApplicationHistoryRepository(pool);
    this.operations = new ApplicationOperationRepository(pool);
    this.statuses = new ApplicationStatusRepository(pool, clock, history, operations);
  }

  /** Where agents' status reports are stored, many in one transaction. */
  public ApplicationStatusRepository statuses() {
    return statuses;
  }

  public ApplicationOperationRepository operations() {
    return operations;
  }

  public ApplicationHistoryRepository history() {
    return history;
  }

  public Pool pool() {
    return pool;
  }

  public Future<List<StoredApplication>> listByApplicationSet(String applicationSet) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM applications WHERE application_set = $1 ORDER BY name")
        .execute(Tuple.of(applicationSet))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }

  public Future<List<StoredApplication>> listAll() {
    return pool.query("SELECT " + COLUMNS + " FROM applications ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }

  /** Every Application whose destination is {@code cluster}, dispatchable or not. */
  public Future<List<StoredApplication>> forCluster(String cluster) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM applications WHERE cluster = $1 ORDER BY name")
        .execute(Tuple.of(cluster))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }

  /**
   * The generation of every Application whose destination is {@code cluster}: a cheap read that
   * tells which stored documents changed since they were last read (every change of an Application
   * takes a new generation).
   */
  public Future<Map<String, Long>> generationsForCluster(String cluster) {
    return pool.preparedQuery("SELECT name, generation FROM applications WHERE cluster = $1")
        .execute(Tuple.of(cluster))
        .map(
            rows -> {
              Map<String, Long> generations = new HashMap<>();
              rows.forEach(r -> generations.put(r.getString(0), r.getLong(1)));
              return generations;
            });
  }

  /** Those of {@code names} whose destination is {@code cluster}. */
  public Future<List<StoredApplication>> forCluster(String cluster, Collection<String> names) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM applications WHERE cluster = $1 AND name = ANY($2)")
        .execute(Tuple.tuple().addString(cluster).addArrayOfString(names.toArray(String[]::new)))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }

  /** Names of Applications with that name owned by a different ApplicationSet (or by none). */
  public Future<List<String>> ownedElsewhere(
      SqlClient client, String applicationSet, List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client
        .preparedQuery(
            "SELECT name FROM applications WHERE name = ANY($1)"
                + " AND application_set IS DISTINCT FROM $2")
        .execute(
            Tuple.tuple().addArrayOfString(names.toArray(String[]::new)).addString(applicationSet))
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  /**
   * Inserts or replaces an Application owned by {@code app.applicationSet()}; bumps its generation.
   */
  public Future<StoredApplication> upsert(SqlClient client, StoredApplication app) {
    return client
        .preparedQuery(
            "INSERT INTO applications (name, application_set, project, cluster, document, revision,"
                + " generation, dispatch_error, delete_resources_on_removal)"
                + " VALUES ($1, $2, $3, $4, $5, $6, nextval('assignment_generation'), $7, $8)"
                + " ON CONFLICT (name) DO UPDATE SET project = EXCLUDED.project,"
                + " cluster = EXCLUDED.cluster, document = EXCLUDED.document,"
                + " revision = EXCLUDED.revision, generation = EXCLUDED.generation,"
                + " dispatch_error = EXCLUDED.dispatch_error,"
                + " delete_resources_on_removal = EXCLUDED.delete_resources_on_removal,"
                + " updated_at = now()"
                + " WHERE applications.application_set IS NOT DISTINCT FROM EXCLUDED.application_set"
                + " RETURNING "
                + COLUMNS)
        .execute(
            Tuple.tuple()
                .addString(app.name())
                .addString(app.applicationSet())
                .addString(app.project())
                .addString(app.cluster())
                .addValue(app.document())
                .addString(app.revision())
                .addString(app.dispatchError())
                .addBoolean(app.deleteResourcesOnRemoval()))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new IllegalStateException(
                    "Application '" + app.name() + "' is owned by another ApplicationSet");
              }
              return toApplication(rows.iterator().next());
            });
  }

  public Future<Optional<StoredApplication>> delete(
      SqlClient client, String name, String applicationSet) {
    return client
        .preparedQuery(
            "DELETE FROM applications WHERE name = $1 AND application_set IS NOT DISTINCT FROM $2"
                + " RETURNING "
                + COLUMNS)
        .execute(Tuple.of(name, applicationSet))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(toApplication(rows.iterator().next())));
  }

  /** How many Applications {@code applicationSet} owns. */
  public Future<Integer> countByApplicationSet(String applicationSet) {
    return pool.preparedQuery("SELECT count(*) FROM applications WHERE application_set = $1")
        .execute(Tuple.of(applicationSet))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Deletes up to {@code limit} Applications of {@code applicationSet}; returns them. */
  public Future<List<StoredApplication>> deleteSomeOf(
      SqlClient client, String applicationSet, int limit) {
    return client
        .preparedQuery(
            "DELETE FROM applications WHERE name IN (SELECT name FROM applications"
                + " WHERE application_set = $1 ORDER BY name LIMIT $2 FOR UPDATE)"
                + " AND application_set = $1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(applicationSet, limit))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }

  /**
   * Moves Applications of one source to a newly resolved revision; returns the destination cluster
   * of each one moved (null when it has none). Only that: after a commit every Application of a
   * branch moves, and returning their documents (10,000 decoded on the event loop) made this the
   * slowest step between a webhook and the agents.
   */
  public Future<List<String>> updateRevision(String revision, List<String> names) {
    return pool.preparedQuery(
            "UPDATE applications SET revision = $1, generation = nextval('assignment_generation'),"
                + " updated_at = now() WHERE name = ANY($2) AND revision <> $1 RETURNING cluster")
        .execute(Tuple.tuple().addString(revision).addArrayOfString(names.toArray(String[]::new)))
        .map(ApplicationRepository::clusters);
  }

  /**
   * Sets one Application's revision if it still is {@code expected} (a multi-source Application's
   * joined revisions: two repositories polled at once must not undo each other's entry; the one
   * that lost sets it at its next poll). Returns its destination cluster when changed, as {@link
   * #updateRevision} does.
   */
  public Future<List<String>> replaceRevision(String name, String expected, String revision) {
    return pool.preparedQuery(
            "UPDATE applications SET revision = $3, generation = nextval('assignment_generation'),"
                + " updated_at = now() WHERE name = $1 AND revision = $2 AND revision <> $3"
                + " RETURNING cluster")
        .execute(Tuple.of(name, expected, revision))
        .map(ApplicationRepository::clusters);
  }

  private static List<String> clusters(RowSet<Row> rows) {
    List<String> out = new ArrayList<>(rows.rowCount());
    rows.forEach(r -> out.add(r.getString(0)));
    return out;
  }

  /**
   * Gives every Application of {@code project} a new generation, so that agents are sent them again
   * (with the project's new resource rules); returns how many there were.
   */
  public Future<Integer> bumpGenerationsOfProject(SqlClient client, String project) {
    return client
        .preparedQuery(
            "UPDATE applications SET generation = nextval('assignment_generation'),"
                + " updated_at = now() WHERE project = $1")
        .execute(Tuple.of(project))
        .map(rows -> rows.rowCount());
  }

  /**
   * Stores the acknowledgements of a batch, each only upwards, in one statement; names not on
   * {@code cluster} are ignored.
   */
  public Future<Void> recordAcks(String cluster, Map<String, Long> generations) {
    if (generations.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] names = new String[generations.size()];
    Long[] values = new Long[generations.size()];
    int i = 0;
    for (Map.Entry<String, Long> e : generations.entrySet()) {
      names[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return pool.preparedQuery(
            "UPDATE applications a SET acked_generation = v.generation"
                + " FROM unnest($2::text[], $3::bigint[]) AS v(name, generation)"
                + " WHERE a.name = v.name AND a.cluster = $1"
                + " AND a.acked_generation < v.generation")
        .execute(Tuple.tuple().addString(cluster).addArrayOfString(names).addArrayOfLong(values))
        .mapEmpty();
  }

  /**
   * Stores a status report alone, as {@link ApplicationStatusRepository#record} stores many; says
   * whether it was stored.
   */
  public Future<Boolean> recordStatus(String cluster, ApplicationStatus s) {
    return statuses
        .record(List.of(new ApplicationStatusRepository.Report(cluster, s)))
        .map(r -> r.get(0));
  }

  /**
   * At most {@code limit} Applications after the name {@code after} that match {@code filter}, with
   * their latest status, in name order: one keyset page, filtered and bounded in SQL.
   */
  public Future<List<ApplicationView>> page(ApplicationFilter filter, String after, int limit) {
    ApplicationListQuery q = ApplicationListQuery.of(filter, after, limit);
    return pool.preparedQuery(q.sql())
        .execute(Tuple.from(q.params()))
        .map(
            rs -> {
              List<ApplicationView> views = new ArrayList<>(rs.size());
              rs.forEach(r -> views.add(view(r)));
              return views;
            });
  }

  /** Applications joined with their latest status, for listing. */
  public Future<List<ApplicationView>> listViews(String nameOrNull) {
    String sql =
        "SELECT "
            + ApplicationListQuery.COLUMNS
            + " FROM applications a LEFT JOIN application_status s ON s.application = a.name"
            + (nameOrNull == null ? "" : " WHERE a.name = $1")
            + " ORDER BY a.cluster NULLS LAST, a.name";
    Future<io.vertx.sqlclient.RowSet<Row>> rows =
        nameOrNull == null
            ? pool.query(sql).execute()
            : pool.preparedQuery(sql).execute(Tuple.of(nameOrNull));
    return rows.map(
        rs -> {
          List<ApplicationView> views = new ArrayList<>();
          rs.forEach(r -> views.add(view(r)));
          return views;
        });
  }

  static String syncName(SyncStatus s) {
    return switch (s) {
      case SYNC_STATUS_SYNCED -> "Synced";
      case SYNC_STATUS_OUT_OF_SYNC -> "OutOfSync";
      default -> "Unknown";
    };
  }

  static String healthName(HealthStatus h) {
    return switch (h) {
      case HEALTH_STATUS_HEALTHY -> "Healthy";
      case HEALTH_STATUS_PROGRESSING -> "Progressing";
      case HEALTH_STATUS_DEGRADED -> "Degraded";
      case HEALTH_STATUS_SUSPENDED -> "Suspended";
      case HEALTH_STATUS_MISSING -> "Missing";
      default -> "Unknown";
    };
  }

  /** An Application row joined with its status, as REST and the CLI show it. */
  private static ApplicationView view(Row r) {
    JsonObject source =
        r.getJsonObject("document").getJsonObject("spec", new JsonObject()).getJsonObject("source");
    String target = source == null ? "HEAD" : source.getString("targetRevision", "HEAD");
    Object resources = r.getValue("resources");
    return new ApplicationView(
        r.getString("name"),
        r.getString("application_set"),
        r.getString("project"),
        r.getString("cluster"),
        target.isEmpty() ? "HEAD" : target,
        r.getLong("generation"),
        r.getLong("acked_generation"),
        r.getString("dispatch_error"),
        requireNonNullElse(r.getString("sync_status"), "Unknown"),
        requireNonNullElse(r.getString("health"), "Unknown"),
        requireNonNullElse(r.getString("health_message"), ""),
        requireNonNullElse(r.getString("revision"), ""),
        requireNonNullElse(r.getString("message"), ""),
        Boolean.TRUE.equals(r.getBoolean("sync_failed")),
        resources instanceof JsonArray a ? a : new JsonArray(),
        r.getOffsetDateTime("last_synced_at"),
        r.getOffsetDateTime("observed_at"),
        r.getLong("status_generation") == null ? 0 : r.getLong("status_generation"),
        r.getJsonObject("document")
            .getJsonObject("spec", new JsonObject())
            .getJsonObject("syncPolicy", new JsonObject())
            .containsKey("automated"),
        r.getJsonObject("document").getJsonObject("spec", new JsonObject()),
        LabelSelectors.labelsOf(r.getJsonObject("document")),
        requireNonNullElse(r.getString("deployed_revision"), ""),
        r.getValue("operation_state") instanceof JsonObject op ? op : null,
        r.getValue("commit_info") instanceof JsonObject c ? c : null,
        r.getOffsetDateTime("failing_since"));
  }

  static StoredApplication toApplication(Row row) {
    return new StoredApplication(
        row.getString("name"),
        row.getString("application_set"),
        row.getString("project"),
        row.getString("cluster"),
        (JsonObject) row.getValue("document"),
        row.getString("revision"),
        row.getLong("generation"),
        row.getString("dispatch_error"),
        row.getBoolean("delete_resources_on_removal"));
  }
}
