package dev.flotilla.controlplane.application;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.CommitInfo;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores the statuses agents report, many in one transaction: after a commit every agent reports
 * every Application at once, and one transaction of 4 to 6 statements per status cost PostgreSQL
 * about a tenth of the fleet benchmark's CPU. Each step is one statement (a batch of bound
 * parameter sets, one round trip) for all statuses of a batch.
 *
 * <p>A status is stored unless it comes from an agent the Application is not assigned to or is
 * older than what is stored: of a lower generation, or of the same generation observed earlier
 * (at-least-once delivery redelivers, and writes in flight may finish in any order). The same
 * status again is stored again, so one marked Unknown while its agent was silent comes back.
 */
public final class ApplicationStatusRepository {

  /** A status as reported by the agent of {@code cluster}. */
  public record Report(String cluster, ApplicationStatus status) {}

  private final Pool pool;
  private final Clock clock;
  private final ApplicationHistoryRepository history;
  private final ApplicationOperationRepository operations;

  ApplicationStatusRepository(
      Pool pool,
      Clock clock,
      ApplicationHistoryRepository history,
      ApplicationOperationRepository operations) {
    this.pool = pool;
    this.clock = clock;
    this.history = history;
    this.operations = operations;
  }

  /**
   * Stores {@code reports} in one transaction, so that a deployment is in the history exactly when
   * its status is stored; says for each, in order, whether it was stored. The Applications must be
   * distinct: each step of a batch reads what the step before wrote for all of them at once.
   */
  public Future<List<Boolean>> record(List<Report> reports) {
    if (reports.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Set<String> seen = new HashSet<>();
    for (Report r : reports) {
      if (!seen.add(r.status().getApplication())) {
        return Future.failedFuture(
            new IllegalArgumentException(
                "status of '" + r.status().getApplication() + "' twice in one batch"));
      }
    }
    // Row locks taken in name order: two batches sharing Applications cannot deadlock.
    List<Integer> order = new ArrayList<>(reports.size());
    for (int i = 0; i < reports.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(i -> reports.get(i).status().getApplication()));
    List<Report> ordered = order.stream().map(reports::get).toList();
    OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    return pool.withTransaction(
            tx ->
                operationJsons(tx, ordered)
                    .compose(ops -> upsert(tx, ordered, ops, now))
                    .compose(stored -> afterStored(tx, ordered, stored, now).map(stored)))
        .map(
            stored -> {
              Boolean[] result = new Boolean[reports.size()];
              for (int i = 0; i < stored.size(); i++) {
                result[order.get(i)] = stored.get(i) != null;
              }
              return List.of(result);
            });
  }

  /** The operation log and deployment history of those stored ({@code stored} non-null). */
  private Future<Void> afterStored(
      SqlClient tx, List<Report> reports, List<JsonObject> stored, OffsetDateTime now) {
    Map<String, JsonObject> logged = new LinkedHashMap<>();
    List<ApplicationHistoryRepository.Deployment> deployments = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      ApplicationStatus s = reports.get(i).status();
      JsonObject op = stored.get(i);
      if (op == null) {
        continue; // older than what is stored, or not this cluster's
      }
      if (!op.isEmpty()) {
        logged.put(s.getApplication(), op);
      }
      if (isDeployment(s)) {
        OffsetDateTime deployedAt =
            s.getLastSyncedAtUnixMs() == 0 ? observedAt(s, now) : time(s.getLastSyncedAtUnixMs());
        deployments.add(
            new ApplicationHistoryRepository.Deployment(
                s.getApplication(), s.getRevision(), s.getGeneration(), deployedAt));
      }
    }
    return operations.record(tx, logged).compose(v -> history.recordDeployments(tx, deployments));
  }

  /**
   * Each reported operation as stored JSON, credited to whoever started it; empty when none. The
   * initiators of those not automated are read in one statement.
   */
  private Future<List<JsonObject>> operationJsons(SqlClient tx, List<Report> reports) {
    List<ApplicationStatus> asked = new ArrayList<>();
    for (Report r : reports) {
      ApplicationStatus s = r.status();
      if (s.hasOperationState() && !s.getOperationState().getAutomated()) {
        asked.add(s);
      }
    }
    return operations
        .initiators(tx, asked)
        .map(
            who -> {
              List<JsonObject> ops = new ArrayList<>(reports.size());
              int next = 0;
              for (Report r : reports) {
                ApplicationStatus s = r.status();
                if (!s.hasOperationState()) {
                  ops.add(new JsonObject());
                } else if (s.getOperationState().getAutomated()) {
                  ops.add(SyncOperation.toJson(s.getOperationState(), SyncOperation.AUTOMATED));
                } else {
                  ops.add(SyncOperation.toJson(s.getOperationState(), who.get(next++)));
                }
              }
              return ops;
            });
  }

  /**
   * Stores each status unless older than what is stored or not its cluster's; returns, in order,
   * its operation JSON when stored and null when not.
   */
  private Future<List<JsonObject>> upsert(
      SqlClient tx, List<Report> reports, List<JsonObject> ops, OffsetDateTime now) {
    List<Tuple> rows = new ArrayList<>(reports.size());
    for (int i = 0; i < reports.size(); i++) {
      ApplicationStatus s = reports.get(i).status();
      JsonObject op = ops.get(i);
      rows.add(
          Tuple.tuple()
              .addString(reports.get(i).cluster())
              .addString(s.getApplication())
              .addLong(s.getGeneration())
              .addString(ApplicationRepository.syncName(s.getSyncStatus()))
              .addString(ApplicationRepository.healthName(s.getHealth()))
              .addString(s.getHealthMessage())
              .addString(s.getRevision())
              .addString(s.getMessage())
              .addBoolean(s.getSyncFailed())
              .addValue(resources(s))
              .addOffsetDateTime(time(s.getLastSyncedAtUnixMs()))
              .addOffsetDateTime(observedAt(s, now))
              .addString(s.getDeployedRevision())
              .addValue(op.isEmpty() ? null : op)
              .addValue(s.hasCommit() ? commitJson(s.getCommit()) : null));
    }
    return tx.preparedQuery(UPSERT)
        .executeBatch(rows)
        .map(
            results -> {
              List<JsonObject> stored = new ArrayList<>(reports.size());
              RowSet<Row> r = results;
              for (int i = 0; i < reports.size(); i++, r = r.next()) {
                stored.add(r.rowCount() > 0 ? ops.get(i) : null);
              }
              return stored;
            });
  }

  private static final String UPSERT =
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
          + " <= (EXCLUDED.generation, EXCLUDED.observed_at)";

  private static JsonArray resources(ApplicationStatus s) {
    JsonArray resources = new JsonArray();
    for (ResourceStatus r : s.getResourcesList()) {
      JsonObject resource =
          new JsonObject()
              .put("group", r.getGroup())
              .put("version", r.getVersion())
              .put("kind", r.getKind())
              .put("namespace", r.getNamespace())
              .put("name", r.getName())
              .put("sync", ApplicationRepository.syncName(r.getSyncStatus()))
              .put("health", ApplicationRepository.healthName(r.getHealth()))
              .put("message", r.getMessage());
      if (!r.getHookPhase().isEmpty()) {
        resource.put("syncPhase", r.getSyncPhase()).put("hookPhase", r.getHookPhase());
      }
      resources.add(resource);
    }
    return resources;
  }

  /** When the agent observed it; a status sent without its own time is stamped with ours. */
  private static OffsetDateTime observedAt(ApplicationStatus s, OffsetDateTime now) {
    return s.getObservedAtUnixMs() == 0 ? now : time(s.getObservedAtUnixMs());
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

  private static OffsetDateTime time(long unixMs) {
    return unixMs == 0
        ? null
        : OffsetDateTime.ofInstant(Instant.ofEpochMilli(unixMs), ZoneOffset.UTC);
  }
}
