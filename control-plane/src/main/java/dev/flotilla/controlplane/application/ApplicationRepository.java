package dev.flotilla.controlplane.application;

import static java.util.Objects.requireNonNullElse;

import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.CommitInfo;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
  private final Clock clock;
  private final ApplicationHistoryRepository history;
  private final ApplicationOperationRepository operations;

  /**
   * @param clock stamps a status the agent sent without its own time
   */
  public ApplicationRepository(Pool pool, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.history = new ApplicationHistoryRepository(pool);
    this.operations = new ApplicationOperationRepository(pool);
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
   * Stores a status report, unless it comes from an agent the Application is not assigned to or is
   * older than what is stored: of a lower generation, or of the same generation observed earlier
   * (at-least-once delivery redelivers, and writes in flight may finish in any order). The same
   * status again is stored again, so one marked Unknown while its agent was silent comes back.
   */
  public Future<Boolean> recordStatus(String cluster, ApplicationStatus s) {
    JsonArray resources = new JsonArray();
    for (ResourceStatus r : s.getResourcesList()) {
      JsonObject resource =
          new JsonObject()
              .put("group", r.getGroup())
              .put("version", r.getVersion())
              .put("kind", r.getKind())
              .put("namespace", r.getNamespace())
              .put("name", r.getName())
              .put("sync", syncName(r.getSyncStatus()))
              .put("health", healthName(r.getHealth()))
              .put("message", r.getMessage());
      if (!r.getHookPhase().isEmpty()) {
        resource.put("syncPhase", r.getSyncPhase()).put("hookPhase", r.getHookPhase());
      }
      resources.add(resource);
    }
    OffsetDateTime observedAt =
        s.getObservedAtUnixMs() == 0
            ? OffsetDateTime.now(clock.withZone(ZoneOffset.UTC))
            : time(s.getObservedAtUnixMs());
    // In one transaction so that a deployment is in the history exactly when its status is stored.
    return pool.withTransaction(
        tx ->
            operationJson(tx, s)
                .compose(op -> upsertStatus(tx, cluster, s, resources, observedAt, op))
                .compose(
                    op -> {
                      if (op.isEmpty()) {
                        return Future.succeededFuture(false); // older than what is stored
                      }
                      Future<Void> logged =
                          op.get().isEmpty()
                              ? Future.succeededFuture()
                              : operations.record(tx, s.getApplication(), op.get());
                      if (!isDeployment(s)) {
                        return logged.map(true);
                      }
                      OffsetDateTime deployedAt =
                          s.getLastSyncedAtUnixMs() == 0
                              ? observedAt
                              : time(s.getLastSyncedAtUnixMs());
                      return logged
                          .compose(
                              v ->
                                  history.recordDeployment(
                                      tx,
                                      s.getApplication(),
                                      s.getRevision(),
                                      s.getGeneration(),
                                      deployedAt))
                          .map(true);
                    }));
  }

  /** The reported operation as stored JSON, credited to whoever started it; empty when none. */
  private Future<JsonObject> operationJson(SqlClient tx, ApplicationStatus s) {
    if (!s.hasOperationState()) {
      return Future.succeededFuture(new JsonObject());
    }
    var op = s.getOperationState();
    Future<String> who =
        op.getAutomated()
            ? Future.succeededFuture(SyncOperation.AUTOMATED)
            : operations.initiator(tx, s.getApplication(), op.getId(), op.getRevision());
    return who.map(w -> SyncOperation.toJson(op, w));
  }

  /** Stores the status unless older than what is stored; returns its operation JSON when stored. */
  private Future<Optional<JsonObject>> upsertStatus(
      SqlClient tx,
      String cluster,
      ApplicationStatus s,
      JsonArray resources,
      OffsetDateTime observedAt,
      JsonObject op) {
    return tx.preparedQuery(
            "INSERT INTO application_status (application, generation, sync_status, health,"
                + " health_message, revision, message, sync_failed, resources, last_synced_at,"
                + " observed_at, deployed_revision, operation_state, commit_info, failing_since)"
                + " SELECT name, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                + " CASE WHEN $9 THEN $12::timestamptz END FROM applications"
                + " WHERE name = $2 AND cluster = $1"
                + " ON CONFLICT (application) DO UPDATE SET generation = EXCLUDED.generation,"
                + " sync_status = EXCLUDED.sync_status, health = EXCLUDED.health,"
                + " health_message = EXCLUDED.health_message, revision = EXCLUDED.revision,"
                + " message = EXCLUDED.message, sync_failed = EXCLUDED.sync_failed,"
                + " resources = EXCLUDED.resources, last_synced_at = EXCLUDED.last_synced_at,"
                + " observed_at = EXCLUDED.observed_at,"
                // An agent restarted since knows neither: keep what it reported before.
                + " deployed_revision = COALESCE(NULLIF(EXCLUDED.deployed_revision, ''),"
                + " application_status.deployed_revision),"
                + " operation_state = COALESCE(EXCLUDED.operation_state,"
                + " application_status.operation_state),"
                // A fetch that failed knows no commit: keep the one described if it is the same.
                + " commit_info = COALESCE(EXCLUDED.commit_info, CASE WHEN"
                + " application_status.commit_info->>'sha' = EXCLUDED.revision"
                + " THEN application_status.commit_info END),"
                // Failing since the first failed status of an unbroken run of them.
                + " failing_since = CASE WHEN NOT EXCLUDED.sync_failed THEN NULL"
                + " WHEN application_status.sync_failed THEN COALESCE("
                + "application_status.failing_since, EXCLUDED.failing_since)"
                + " ELSE EXCLUDED.failing_since END"
                + " WHERE (application_status.generation, application_status.observed_at)"
                + " <= (EXCLUDED.generation, EXCLUDED.observed_at)")
        .execute(
            Tuple.tuple()
                .addString(cluster)
                .addString(s.getApplication())
                .addLong(s.getGeneration())
                .addString(syncName(s.getSyncStatus()))
                .addString(healthName(s.getHealth()))
                .addString(s.getHealthMessage())
                .addString(s.getRevision())
                .addString(s.getMessage())
                .addBoolean(s.getSyncFailed())
                .addValue(resources)
                .addOffsetDateTime(time(s.getLastSyncedAtUnixMs()))
                .addOffsetDateTime(observedAt)
                .addString(s.getDeployedRevision())
                .addValue(op.isEmpty() ? null : op)
                .addValue(s.hasCommit() ? commitJson(s.getCommit()) : null))
        .map(rows -> rows.rowCount() > 0 ? Optional.of(op) : Optional.<JsonObject>empty());
  }

  /** A reported commit as stored and shown: Argo CD's revision metadata, subject only. */
  static JsonObject commitJson(CommitInfo c) {
    return new JsonObject()
        .put("sha", c.getSha())
        .put("author", c.getAuthor())
        .put("subject", c.getSubject())
        .put(
            "date",
            c.getCommittedAtUnixMs() == 0 ? null : time(c.getCommittedAtUnixMs()).toString());
  }

  /** The cluster is reported equal to Git at a known revision. */
  private static boolean isDeployment(ApplicationStatus s) {
    return s.getSyncStatus() == SyncStatus.SYNC_STATUS_SYNCED
        && !s.getSyncFailed()
        && !s.getRevision().isEmpty();
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

  private static OffsetDateTime time(long unixMs) {
    return unixMs == 0
        ? null
        : OffsetDateTime.ofInstant(Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
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
