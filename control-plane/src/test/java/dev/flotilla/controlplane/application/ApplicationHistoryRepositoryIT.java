package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deployment history as agents' status reports write it, on a database of its own. */
class ApplicationHistoryRepositoryIT {

  private final Vertx vertx = Vertx.vertx();
  private Database database;
  private Pool pool;
  private ApplicationRepository applications;
  private ApplicationHistoryRepository history;
  private long generation;

  @BeforeEach
  void setUp() {
    database = TestDatabases.fresh();
    database.migrate();
    pool = database.pool(vertx);
    applications = new ApplicationRepository(pool, Clock.systemUTC());
    history = applications.history();
  }

  @AfterEach
  void tearDown() throws Exception {
    database.close();
    get(vertx.close());
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** An Application on cluster east, as the ApplicationSet controller stores it. */
  private void app(String name, Object revisionHistoryLimit) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put(
                "source",
                new JsonObject()
                    .put("repoURL", "https://git.example/infra.git")
                    .put("path", "apps/" + name));
    if (revisionHistoryLimit != null) {
      spec.put("revisionHistoryLimit", revisionHistoryLimit);
    }
    get(
        pool.preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ($1, 'default', 'east', $2, 1)")
            .execute(Tuple.of(name, new JsonObject().put("spec", spec))));
  }

  private boolean report(String cluster, String name, SyncStatus sync, String sha, boolean failed)
      throws Exception {
    return get(
        applications.recordStatus(
            cluster,
            ApplicationStatus.newBuilder()
                .setApplication(name)
                .setGeneration(++generation)
                .setSyncStatus(sync)
                .setRevision(sha)
                .setSyncFailed(failed)
                .setLastSyncedAtUnixMs(1_700_000_000_000L + generation)
                .build()));
  }

  private void synced(String name, String sha) throws Exception {
    assertThat(report("east", name, SyncStatus.SYNC_STATUS_SYNCED, sha, false)).isTrue();
  }

  private List<String> revisions(String name) throws Exception {
    return get(history.list(name)).stream().map(HistoryEntry::revision).toList();
  }

  private static String sha(int n) {
    return String.format("%040x", n);
  }

  @Test
  void anEntryIsWrittenOnlyWhenTheAgentReportsSyncedToANewRevision() throws Exception {
    app("web", null);
    synced("web", sha(1));
    synced("web", sha(1));
    report("east", "web", SyncStatus.SYNC_STATUS_OUT_OF_SYNC, sha(2), false);
    report("east", "web", SyncStatus.SYNC_STATUS_SYNCED, sha(2), true);
    report("east", "web", SyncStatus.SYNC_STATUS_SYNCED, "", false);
    assertThat(revisions("web"))
        .as("repeats, OutOfSync, failed and unknown")
        .containsExactly(sha(1));
    assertThat(report("west", "web", SyncStatus.SYNC_STATUS_SYNCED, sha(3), false))
        .as("an agent the Application is not assigned to")
        .isFalse();

    synced("web", sha(2));
    synced("web", sha(1));
    assertThat(revisions("web")).containsExactly(sha(1), sha(2), sha(1));

    HistoryEntry first = get(history.list("web")).get(0);
    assertThat(first.operation()).isEqualTo(HistoryEntry.AUTOMATED);
    assertThat(first.initiatedBy()).isEqualTo(ApplicationHistoryRepository.CONTROL_PLANE);
    assertThat(first.repoUrl()).isEqualTo("https://git.example/infra.git");
    assertThat(first.path()).isEqualTo("apps/web");
    assertThat(first.generation()).isEqualTo(1);
    assertThat(first.deployedAt().toInstant().toEpochMilli()).isEqualTo(1_700_000_000_001L);
    assertThat(first.rollbackOf()).isNull();
  }

  @Test
  void historyIsTrimmedToRevisionHistoryLimitWithTenByDefault() throws Exception {
    app("three", 3);
    app("default", null);
    app("zero", 0);
    for (int i = 1; i <= 12; i++) {
      synced("three", sha(i));
      synced("default", sha(i));
      synced("zero", sha(i));
    }
    assertThat(revisions("three")).containsExactly(sha(10), sha(11), sha(12));
    assertThat(revisions("default")).hasSize(10).startsWith(sha(3)).endsWith(sha(12));
    assertThat(revisions("zero")).as("the newest entry is always kept").containsExactly(sha(12));
    synced("zero", sha(12));
    assertThat(revisions("zero")).as("and still tells a repeat from a change").hasSize(1);
  }

  @Test
  void aPendingRequestIsCreditedToTheDeploymentItLedTo() throws Exception {
    app("web", null);
    synced("web", sha(1));
    get(history.requestOperation("web", HistoryEntry.SYNC, "", "alice", null));
    synced("web", sha(2));
    get(history.requestOperation("web", HistoryEntry.ROLLBACK, sha(1), "bob", 1L));
    synced("web", sha(3));
    synced("web", sha(1));
    synced("web", sha(4));

    List<HistoryEntry> entries = get(history.list("web"));
    assertThat(entries)
        .extracting(HistoryEntry::operation, HistoryEntry::initiatedBy, HistoryEntry::rollbackOf)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(HistoryEntry.AUTOMATED, "system:flotilla", null),
            org.assertj.core.groups.Tuple.tuple(HistoryEntry.SYNC, "alice", null),
            org.assertj.core.groups.Tuple.tuple(
                HistoryEntry.AUTOMATED, "system:flotilla", null), // not the rollback's revision
            org.assertj.core.groups.Tuple.tuple(HistoryEntry.ROLLBACK, "bob", 1L),
            org.assertj.core.groups.Tuple.tuple(
                HistoryEntry.AUTOMATED, "system:flotilla", null)); // the request was used up
  }

  @Test
  void aCancelledOrStaleRequestIsNotCredited() throws Exception {
    app("web", null);
    get(history.requestOperation("web", HistoryEntry.SYNC, "", "alice", null));
    get(history.cancelOperation("web", HistoryEntry.SYNC, ""));
    synced("web", sha(1));
    get(history.requestOperation("web", HistoryEntry.SYNC, "", "carol", null));
    get(
        pool.query("UPDATE application_operations SET requested_at = now() - interval '1 hour'")
            .execute());
    synced("web", sha(2));
    assertThat(get(history.list("web")))
        .extracting(HistoryEntry::initiatedBy)
        .containsOnly(ApplicationHistoryRepository.CONTROL_PLANE);
  }

  @Test
  void deletingTheApplicationDeletesItsHistoryAndPendingRequests() throws Exception {
    app("web", null);
    app("api", null);
    synced("web", sha(1));
    synced("api", sha(1));
    get(history.requestOperation("web", HistoryEntry.SYNC, "", "alice", null));
    get(applications.delete(pool, "web", null));
    assertThat(revisions("web")).isEmpty();
    assertThat(revisions("api")).containsExactly(sha(1));
    long pending =
        get(pool.query("SELECT count(*) FROM application_operations").execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(pending).isZero();
  }
}
