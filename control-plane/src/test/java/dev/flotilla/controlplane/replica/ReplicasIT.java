package dev.flotilla.controlplane.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.drift.DriftedObject;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceRequestKind;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.StatusBatch;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.testkit.TestPostgres;
import dev.flotilla.testkit.TestRepo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-plane replicas in one JVM on one database: what is done through one reaches the agent
 * connected to the other, watchers of either see every change, work that must run once runs once
 * (and is taken over when its replica stops renewing), and migrations started together agree.
 */
class ReplicasIT {

  private static final String CLUSTER = "east";
  private static final String APP = "web-east";
  private static final String APPSET =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: web
      spec:
        generators:
          - list:
              elements:
                - {cluster: east}
        template:
          metadata:
            name: 'web-{{cluster}}'
          spec:
            project: default
            source:
              repoURL: https://example.invalid/repo.git
              path: web
            destination:
              name: '{{cluster}}'
              namespace: web
      """;

  @TempDir Path homeA;
  @TempDir Path homeB;
  private PgConnectOptions db;
  private ControlPlane a;
  private ControlPlane b;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    db = TestPostgres.fresh();
    a = start(homeA);
    // Replicas share the key that seals stored secrets (in production: FLOTILLA_SECRET_KEY).
    Files.copy(homeA.resolve("secret.key"), homeB.resolve("secret.key"));
    b = start(homeB);
  }

  private ControlPlane start(Path home) throws Exception {
    return ControlPlane.start(
        ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), Database.of(db));
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void whatIsDoneThroughOneReplicaReachesTheAgentConnectedToTheOther() throws Exception {
    String token = JoinTokens.newToken();
    get(
        a.clusters()
            .insert(CLUSTER, "https://east.example", Map.of(), Map.of(), JoinTokens.hash(token)));
    Agent agent = connect(b, token);
    await().atMost(Duration.ofSeconds(20)).until(() -> b.dispatcher().isConnected(CLUSTER));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(a.clusters().connectedElsewhere(CLUSTER)), yes -> yes);

    get(a.controller().apply(APPSET));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(agent.received)
                    .as("the new Application reaches the agent on the other replica")
                    .anyMatch(
                        m -> m.hasUpsert() && m.getUpsert().getAssignment().getName().equals(APP)));

    assertThat(get(a.dispatcher().requestSync(CLUSTER, APP, "0123456789abcdef"))).isTrue();
    assertThat(get(a.dispatcher().requestRefresh(CLUSTER, APP, false))).isTrue();
    assertThat(get(a.dispatcher().requestSync(CLUSTER, APP, "fedcba9876543210", true))).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(agent.received)
                  .anyMatch(
                      m ->
                          m.hasSync()
                              && m.getSync().getRevision().equals("0123456789abcdef")
                              && !m.getSync().getRefreshOnly());
              assertThat(agent.received).anyMatch(m -> m.hasSync() && m.getSync().getRefreshOnly());
              assertThat(agent.received)
                  .as("a relayed sync keeps its prune flag")
                  .anyMatch(
                      m ->
                          m.hasSync()
                              && m.getSync().getPrune()
                              && m.getSync().getRevision().equals("fedcba9876543210"));
            });
    assertThat(get(a.dispatcher().requestSync("nowhere", APP, "")))
        .as("an agent connected to no replica is reported as such")
        .isFalse();

    a.dispatcher().disconnect(CLUSTER, "token revoked");
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.error != null);
    assertThat(Status.fromThrowable(agent.error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void theResourceProxyAnswersThroughAnyReplicaWhereverTheAgentIsConnected() throws Exception {
    String token = JoinTokens.newToken();
    get(
        a.clusters()
            .insert(CLUSTER, "https://east.example", Map.of(), Map.of(), JoinTokens.hash(token)));
    get(a.controller().apply(APPSET));
    Agent agent = connect(b, token);
    await().atMost(Duration.ofSeconds(20)).until(() -> b.dispatcher().isConnected(CLUSTER));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(a.clusters().connectedElsewhere(CLUSTER)), yes -> yes);
    // The agent answers live manifests in two parts, and refuses anything else as NOT_FOUND.
    agent.onResourceRequest =
        request -> {
          if (request.getKind() == ResourceRequestKind.LIVE_MANIFESTS) {
            agent.send(answer(request.getId(), 0, false, "first"));
            agent.send(answer(request.getId(), 1, true, "second"));
          } else {
            agent.send(
                AgentMessage.newBuilder()
                    .setResourceResponse(
                        ResourceResponse.newBuilder()
                            .setId(request.getId())
                            .setLast(true)
                            .setErrorCode("NOT_FOUND")
                            .setError("pods \"gone\" not found"))
                    .build());
          }
        };

    HttpResponse<String> live = rest(a, "/api/v1/applications/" + APP + "/manifests?source=live");
    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
    assertThat(live.body())
        .as("both parts, in order, through the replica the agent is not connected to")
        .containsSubsequence("first", "second");

    HttpResponse<String> missing =
        rest(a, "/api/v1/applications/" + APP + "/resource?kind=Pod&namespace=web&name=gone");
    assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
    assertThat(missing.body()).contains("pods \\\"gone\\\" not found");

    HttpResponse<String> direct = rest(b, "/api/v1/applications/" + APP + "/manifests?source=live");
    assertThat(direct.statusCode()).as("and on the agent's own replica").isEqualTo(200);

    // The agent goes away: the replica that held it no longer relays, and asking says so at once.
    agent.outbound.onCompleted();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !get(a.clusters().connectedElsewhere(CLUSTER)));
    HttpResponse<String> gone = rest(a, "/api/v1/applications/" + APP + "/manifests?source=live");
    assertThat(gone.statusCode()).isEqualTo(503);
    assertThat(gone.body()).contains("not connected");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              try (Connection sql = jdbc();
                  Statement s = sql.createStatement();
                  ResultSet rows = s.executeQuery("SELECT count(*) FROM resource_relay")) {
                rows.next();
                assertThat(rows.getInt(1)).as("relayed parts are removed once read").isZero();
              }
            });
  }

  @Test
  void repositoryCredentialsAddedThroughOneReplicaAreUsedByTheOther() throws Exception {
    HttpResponse<String> added =
        rest(
            a,
            "POST",
            "/api/v1/repositories",
            "{\"url\":\"https://git.example/private.git\",\"username\":\"ci\","
                + "\"password\":\"s3cret\"}");
    assertThat(added.statusCode()).as(added.body()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(b.storedCredentials().current())
                    .as("the other replica reloaded")
                    .anyMatch(c -> c.url().equals("https://git.example/private.git")));

    HttpResponse<String> removed =
        rest(
            b,
            "DELETE",
            "/api/v1/repositories/"
                + URLEncoder.encode("https://git.example/private.git", StandardCharsets.UTF_8),
            null);
    assertThat(removed.statusCode()).as(removed.body()).isIn(200, 204);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(a.storedCredentials().current()).isEmpty());
  }

  private static AgentMessage answer(String id, int part, boolean last, String name) {
    return AgentMessage.newBuilder()
        .setResourceResponse(
            ResourceResponse.newBuilder()
                .setId(id)
                .setPart(part)
                .setLast(last)
                .addObjects(
                    ProxiedObject.newBuilder()
                        .setRef(ObjectRef.newBuilder().setKind("ConfigMap").setName(name))
                        .setJson(
                            "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")))
        .build();
  }

  /** A REST call through {@code cp} as the admin (whose token the first replica made). */
  private HttpResponse<String> rest(ControlPlane cp, String path) throws Exception {
    return rest(cp, "GET", path, null);
  }

  private HttpResponse<String> rest(ControlPlane cp, String method, String path, String json)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
                .header("Authorization", "Bearer " + a.adminToken().value())
                .header("Content-Type", "application/json")
                .method(
                    method,
                    json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection(Database.of(db).jdbcUrl(), db.getUser(), db.getPassword());
  }

  @Test
  void aStatusAndDriftStoredThroughOneReplicaReachTheWatchersOfTheOther() throws Exception {
    String token = JoinTokens.newToken();
    get(
        a.clusters()
            .insert(CLUSTER, "https://east.example", Map.of(), Map.of(), JoinTokens.hash(token)));
    get(a.controller().apply(APPSET));
    List<String> seenOnA = new CopyOnWriteArrayList<>();
    a.applicationEvents().subscribe(seenOnA::add);
    List<DriftedObject> driftOnA = new CopyOnWriteArrayList<>();
    a.driftFeed().subscribe(driftOnA::add);
    Agent agent = connect(b, token);
    await().atMost(Duration.ofSeconds(20)).until(() -> b.dispatcher().isConnected(CLUSTER));

    agent.send(
        AgentMessage.newBuilder()
            .setStatuses(
                StatusBatch.newBuilder()
                    .addStatuses(
                        ApplicationStatus.newBuilder()
                            .setApplication(APP)
                            .setGeneration(1)
                            .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
                            .setHealth(HealthStatus.HEALTH_STATUS_HEALTHY)
                            .setObservedAtUnixMs(System.currentTimeMillis())
                            .setSequence(1)))
            .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> seenOnA.contains(APP));

    agent.send(
        AgentMessage.newBuilder()
            .setDrift(
                DriftEvent.newBuilder()
                    .setId("d-1")
                    .setApplication(APP)
                    .setResource(
                        ResourceStatus.newBuilder()
                            .setVersion("v1")
                            .setKind("ConfigMap")
                            .setNamespace("web")
                            .setName("config"))
                    .addFields(
                        FieldDiff.newBuilder()
                            .setPath("/data/greeting")
                            .setDesired("\"a\"")
                            .setLive("\"b\""))
                    .setDetectedAtUnixMs(1_000))
            .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> !driftOnA.isEmpty());
    DriftedObject seen = driftOnA.get(0);
    assertThat(seen.application()).isEqualTo(APP);
    assertThat(seen.cluster()).isEqualTo(CLUSTER);
    assertThat(seen.name()).isEqualTo("config");
    assertThat(seen.fields().getJsonObject(0).getString("live")).isEqualTo("\"b\"");
    assertThat(seen.firstSeen()).isEqualTo(Instant.ofEpochMilli(1_000));
  }

  @Test
  void oneApplicationSetIsNeverGeneratedOnBothReplicasAtOnce() throws Exception {
    get(a.controller().apply(APPSET));
    List<long[]> runs = new CopyOnWriteArrayList<>();
    for (ControlPlane cp : List.of(a, b)) {
      cp.controller()
          .observeGenerations(
              (took, failed) -> {
                long end = System.nanoTime();
                runs.add(new long[] {end - took.toNanos(), end});
              });
    }
    List<Future<Void>> racing = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      racing.add(a.controller().reconcile("web"));
      racing.add(b.controller().reconcile("web"));
    }
    get(Future.all(racing));

    assertThat(runs).as("every request generated, none dropped").hasSize(12);
    List<long[]> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Long.compare(x[0], y[0]));
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i)[0])
          .as("generation %d started after the one before ended", i)
          .isGreaterThanOrEqualTo(sorted.get(i - 1)[1]);
    }
  }

  @Test
  void singletonsAreSpreadAndTakenOverWithinFifteenSecondsWhenTheirReplicaStopsRenewing() {
    Leases leasesA = a.replica().leases();
    Leases leasesB = b.replica().leases();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (String name : leasesA.singletons()) {
                assertThat(leasesA.holds(name) ^ leasesB.holds(name))
                    .as("'%s' held by exactly one replica", name)
                    .isTrue();
              }
              assertThat(leasesA.ownedSingletons()).as("spread: A runs some").isNotEmpty();
              assertThat(leasesB.ownedSingletons()).as("spread: B runs some").isNotEmpty();
            });
    String moving = leasesA.ownedSingletons().iterator().next();
    assertThat(a.metrics().scrape())
        .contains("flotilla_lease_owned{lease=\"" + moving + "\"} 1")
        .contains("flotilla_work_leases_held");

    a.replica().abandon(); // As a frozen or killed replica: no renewal, no release.
    long stopped = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(leasesA.holds(moving) && leasesB.holds(moving))
                  .as("never held by both")
                  .isFalse();
              assertThat(leasesB.holds(moving)).isTrue();
            });
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(15));
  }

  /**
   * A webhook that reaches a replica not running the Git poller is passed on; it must not be lost
   * when the poller's lease is changing hands at that moment (its holder stopped renewing, nobody
   * else took it yet): before, the holder turned the request away as soon as its lease had gone
   * stale and the replica taking over waited for its next periodic poll, minutes later.
   */
  @Test
  void aWebhookPassedOnWhileThePollerChangesHandsIsServedByTheReplicaTakingOver(
      @TempDir Path repoDir) throws Exception {
    try (TestRepo repo = new TestRepo(repoDir)) {
      repo.write("web/config.yaml", TestRepo.configMap("web", "greeting", "one"));
      String first = repo.commit("one");
      get(
          a.clusters()
              .insert(
                  CLUSTER,
                  "https://east.example",
                  Map.of(),
                  Map.of(),
                  JoinTokens.hash(JoinTokens.newToken())));
      get(
          a.controller()
              .apply(
                  APPSET.replace(
                      "https://example.invalid/repo.git",
                      repo.url() + "\n        targetRevision: HEAD")));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> leaseHolder(ReplicaFeature.GIT_POLLER) != null);
      ControlPlane poller = leaseHolder(ReplicaFeature.GIT_POLLER);
      ControlPlane other = poller == a ? b : a;
      get(poller.poller().pollOnce());
      assertThat(revisionOf(other)).isEqualTo(first);

      poller.replica().abandon(); // Frozen: its lease goes stale here, then expires.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !poller.replica().leases().holds(ReplicaFeature.GIT_POLLER));
      assertThat(other.replica().leases().holds(ReplicaFeature.GIT_POLLER))
          .as("not taken over yet: the lease has not expired in the database")
          .isFalse();
      repo.write("web/config.yaml", TestRepo.configMap("web", "greeting", "two"));
      String second = repo.commit("two");
      other.poller().pollSoon(); // The webhook arrives at the replica that does not poll.

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(revisionOf(other))
                      .as("moved by the replica that took the poller over, at once")
                      .isEqualTo(second));
    }
  }

  private ControlPlane leaseHolder(String lease) {
    if (a.replica().leases().holds(lease)) {
      return a;
    }
    return b.replica().leases().holds(lease) ? b : null;
  }

  private static String revisionOf(ControlPlane cp) throws Exception {
    return get(cp.applications().forCluster(CLUSTER)).stream()
        .filter(app -> app.name().equals(APP))
        .findFirst()
        .orElseThrow()
        .revision();
  }

  @Test
  void replicasMigratingAnEmptyDatabaseTogetherApplyEachMigrationOnce() throws Exception {
    PgConnectOptions empty = TestPostgres.fresh();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Database.of(empty).migrate();
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertThat(failures).isEmpty();
    try (Connection sql =
            DriverManager.getConnection(
                Database.of(empty).jdbcUrl(), empty.getUser(), empty.getPassword());
        Statement s = sql.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT version), bool_and(success)"
                    + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(rows.getInt(2)).isGreaterThanOrEqualTo(15);
      assertThat(rows.getBoolean(3)).isTrue();
    }
  }

  private Agent connect(ControlPlane cp, String token) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    channels.add(channel);
    Agent agent = new Agent();
    agent.outbound = AgentServiceGrpc.newStub(channel).connect(agent);
    agent.send(
        AgentMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setCluster(CLUSTER)
                    .setToken(token)
                    .setAgentVersion("test")
                    .setHeartbeatIntervalMs(60_000))
            .build());
    return agent;
  }

  private static final class Agent implements StreamObserver<ControlMessage> {
    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    volatile Consumer<ResourceRequest> onResourceRequest = r -> {};
    volatile Throwable error;
    StreamObserver<AgentMessage> outbound;

    synchronized void send(AgentMessage message) {
      outbound.onNext(message);
    }

    @Override
    public void onNext(ControlMessage value) {
      received.add(value);
      if (value.hasResourceRequest()) {
        onResourceRequest.accept(value.getResourceRequest());
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
