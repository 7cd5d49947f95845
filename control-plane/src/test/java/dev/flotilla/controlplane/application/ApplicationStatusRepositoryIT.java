package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.ApplicationStatusRepository.Report;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.OperationState;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.tracing.QueryRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statuses of several clusters stored in one transaction, on a database of its own. */
class ApplicationStatusRepositoryIT {

  private static final long T0 = 1_700_000_000_000L;

  /** Round trips to the database and the statements they carried (a batch carries many). */
  private final AtomicInteger roundTrips = new AtomicInteger();

  private final AtomicInteger statements = new AtomicInteger();

  private final Vertx vertx =
      Vertx.builder()
          .with(new VertxOptions().setTracingOptions(new TracingOptions()))
          .withTracer(options -> new Counting())
          .build();

  private Database database;
  private Pool pool;
  private ApplicationRepository applications;

  /** Counts what the pool sends. */
  private final class Counting implements VertxTracer<Object, Object> {
    @Override
    public <R> Object sendRequest(
        Context context,
        SpanKind kind,
        TracingPolicy policy,
        R request,
        String operation,
        BiConsumer<String, String> headers,
        TagExtractor<R> tags) {
      if (request instanceof QueryRequest q) {
        roundTrips.incrementAndGet();
        statements.addAndGet(Math.max(1, q.tuples().size()));
      }
      return null;
    }
  }

  @BeforeEach
  void setUp() {
    database = TestDatabases.fresh();
    database.migrate();
    pool = database.pool(vertx);
    applications = new ApplicationRepository(pool, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    database.close();
    get(vertx.close());
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void app(String name, String cluster) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("source", new JsonObject().put("repoURL", "https://git.example/infra.git"));
    get(
        pool.preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ($1, 'default', $2, $3, 1)")
            .execute(Tuple.of(name, cluster, new JsonObject().put("spec", spec))));
  }

  private static ApplicationStatus synced(String app, long generation, long observed, String sha) {
    return ApplicationStatus.newBuilder()
        .setApplication(app)
        .setGeneration(generation)
        .setObservedAtUnixMs(T0 + observed)
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setRevision(sha)
        .build();
  }

  private List<String> history(String app) throws Exception {
    return get(applications.history().list(app)).stream().map(HistoryEntry::revision).toList();
  }

  private long storedGeneration(String app) throws Exception {
    var rows =
        get(
            pool.preparedQuery("SELECT generation FROM application_status WHERE application = $1")
                .execute(Tuple.of(app)));
    return rows.size() == 0 ? -1 : rows.iterator().next().getLong(0);
  }

  @Test
  void aBatchOfSeveralClustersStoresOnlyWhatEachStatusMayStore() throws Exception {
    app("web", "east");
    app("api", "east");
    app("again", "east");
    app("db", "west");
    app("cache", "west");
    app("queue", "west");
    assertThat(get(applications.recordStatus("east", synced("web", 5, 50, "sha-web")))).isTrue();
    assertThat(get(applications.recordStatus("east", synced("again", 2, 20, "sha-a")))).isTrue();
    get(applications.history().requestOperation("queue", HistoryEntry.SYNC, "", "alice", null));
    ApplicationStatus queue =
        ApplicationStatus.newBuilder(synced("queue", 1, 10, "sha-q"))
            .setOperationState(
                OperationState.newBuilder()
                    .setId("op-1")
                    .setPhase(OperationPhase.OPERATION_PHASE_SUCCEEDED)
                    .setRevision("sha-q")
                    .setStartedAtUnixMs(T0))
            .build();

    List<Boolean> stored =
        get(
            applications
                .statuses()
                .record(
                    List.of(
                        new Report("east", synced("web", 4, 60, "sha-old")),
                        new Report("east", synced("api", 1, 10, "sha-api")),
                        new Report("east", synced("again", 2, 20, "sha-a")),
                        new Report("east", synced("cache", 1, 10, "sha-c")),
                        new Report("west", synced("db", 1, 10, "sha-db")),
                        new Report("west", queue))));

    assertThat(stored)
        .as("stale, new, the same again, wrong cluster, new, new with an operation")
        .containsExactly(false, true, true, false, true, true);
    assertThat(storedGeneration("web")).as("the stale one left what was stored").isEqualTo(5);
    assertThat(storedGeneration("cache")).as("not its cluster's").isEqualTo(-1);
    assertThat(history("web")).containsExactly("sha-web");
    assertThat(history("api")).containsExactly("sha-api");
    assertThat(history("again")).as("a repeat adds no entry").containsExactly("sha-a");
    assertThat(history("cache")).isEmpty();
    assertThat(history("db")).containsExactly("sha-db");
    List<HistoryEntry> queued = get(applications.history().list("queue"));
    assertThat(queued).extracting(HistoryEntry::initiatedBy).containsExactly("alice");
    assertThat(get(applications.operations().list("queue")))
        .extracting(op -> op.getString("initiatedBy"))
        .as("credited to whoever asked")
        .containsExactly("alice");
  }

  @Test
  void aBatchHoldingAnApplicationTwiceIsRefusedWithoutWriting() throws Exception {
    app("web", "east");
    Future<List<Boolean>> twice =
        applications
            .statuses()
            .record(
                List.of(
                    new Report("east", synced("web", 1, 10, "a")),
                    new Report("east", synced("web", 2, 10, "b"))));
    assertThat(twice.failed()).isTrue();
    assertThat(twice.cause()).hasMessageContaining("'web' twice");
    assertThat(storedGeneration("web")).isEqualTo(-1);
  }

  @Test
  void oneTransactionForManyStatusesTakesAHandfulOfRoundTrips() throws Exception {
    int n = 50;
    List<Report> alone = new ArrayList<>();
    List<Report> together = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      app("alone-" + i, "east");
      app("together-" + i, "east");
      alone.add(new Report("east", synced("alone-" + i, 1, 10, "sha-" + i)));
      together.add(new Report("east", synced("together-" + i, 1, 10, "sha-" + i)));
    }

    Map<String, Integer> one = count(() -> recordEachAlone(alone));
    Map<String, Integer> all = count(() -> applications.statuses().record(together).mapEmpty());
    System.out.printf("%d statuses alone: %s; in one batch: %s%n", n, one, all);

    // Per deployment: upsert, history read, pending-request delete, history insert, trim.
    assertThat(one).containsEntry("roundTrips", 5 * n).containsEntry("statements", 5 * n);
    assertThat(all).containsEntry("roundTrips", 5).containsEntry("statements", 4 * n + 1);
    for (int i = 0; i < n; i++) {
      assertThat(history("together-" + i)).containsExactly("sha-" + i);
    }
  }

  private Future<Void> recordEachAlone(List<Report> reports) {
    Future<Void> done = Future.succeededFuture();
    for (Report r : reports) {
      done = done.compose(v -> applications.recordStatus(r.cluster(), r.status()).mapEmpty());
    }
    return done;
  }

  private Map<String, Integer> count(java.util.function.Supplier<Future<Void>> work)
      throws Exception {
    roundTrips.set(0);
    statements.set(0);
    get(work.get());
    return Map.of("roundTrips", roundTrips.get(), "statements", statements.get());
  }
}
