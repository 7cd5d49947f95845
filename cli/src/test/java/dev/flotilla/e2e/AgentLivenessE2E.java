package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.HealthSettings;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.testkit.TestRepo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status that tells the truth about agents: a silent agent's cluster is disconnected and its
 * Applications Unknown after three missed heartbeats, and recover when it reports again; a
 * restarted control plane shows no cluster connected that has not connected to it.
 */
class AgentLivenessE2E {

  /** Heartbeats every 200 ms: the control plane's deadline for this agent is 600 ms. */
  private static final HealthSettings FAST =
      HealthSettings.DEFAULTS.withHeartbeatInterval(Duration.ofMillis(200));

  @TempDir Path tmp;
  private Fleet fleet;
  private TestRepo repo;

  @AfterEach
  void tearDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  @Test
  void aSilentAgentsApplicationsTurnUnknownAndRecoverWhenItReportsAgain() throws Exception {
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "hello", "first app");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.stopAgent("east");
    fleet.startAgent("east", FAST);
    fleet.apply(AppSets.appsOneOn("one", "one", repo.url(), AppSets.automated(true, true), "east"));
    fleet.awaitSynced("one-east");
    String revision = fleet.application("one-east").orElseThrow().revision();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(clusterJson("east").getJsonObject("agentHealth").getString("state"))
                    .isEqualTo("OK"));

    fleet.stopAgent("east");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ApplicationView app = fleet.application("one-east").orElseThrow();
              assertThat(app.syncStatus()).isEqualTo("Unknown");
              assertThat(app.health()).isEqualTo("Unknown");
              assertThat(app.message()).startsWith("agent for cluster east silent since ");
              assertThat(app.revision()).as("last known revision kept").isEqualTo(revision);
              JsonObject cluster = clusterJson("east");
              assertThat(cluster.getBoolean("connected")).isFalse();
              assertThat(cluster.getJsonObject("agentHealth").getString("state"))
                  .isEqualTo("Unknown");
              assertThat(cluster.getJsonObject("agentHealth").getString("message"))
                  .startsWith("agent for cluster east silent since ");
            });

    fleet.startAgent("east", FAST);
    fleet.awaitSynced("one-east");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(fleet.application("one-east").orElseThrow().message())
                  .doesNotContain("silent");
              JsonObject cluster = clusterJson("east");
              assertThat(cluster.getBoolean("connected")).isTrue();
              assertThat(cluster.getJsonObject("agentHealth").getString("state")).isEqualTo("OK");
            });
  }

  @Test
  void aWedgedAgentShowsWedgedAndItsApplicationsUnknownUntilItRecovers() throws Exception {
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "hello", "first app");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.stopAgent("east");
    fleet.startAgent("east", FAST.withThresholds(Duration.ofMillis(300), Duration.ofMillis(600)));
    fleet.apply(AppSets.appsOneOn("one", "one", repo.url(), AppSets.automated(true, true), "east"));
    fleet.awaitSynced("one-east");
    String revision = fleet.application("one-east").orElseThrow().revision();

    // The next reconcile never finishes: a worker stuck in a render or an API call.
    CountDownLatch release = new CountDownLatch(1);
    fleet
        .agent("east")
        .beforeReconcile(
            application -> {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(
            fleet
                .controlPlane()
                .dispatcher()
                .requestRefresh("east", "one-east", false)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonObject health = clusterJson("east").getJsonObject("agentHealth");
              assertThat(health.getString("state")).isEqualTo("Wedged");
              assertThat(health.getString("message")).contains("reconcile of one-east running");
              ApplicationView app = fleet.application("one-east").orElseThrow();
              assertThat(app.syncStatus()).isEqualTo("Unknown");
              assertThat(app.message()).startsWith("agent for cluster east is wedged: ");
              assertThat(app.revision()).isEqualTo(revision);
            });
    assertThat(clusterJson("east").getBoolean("connected"))
        .as("still talking: wedged, not silent")
        .isTrue();

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(clusterJson("east").getJsonObject("agentHealth").getString("state"))
                  .isEqualTo("OK");
              ApplicationView app = fleet.application("one-east").orElseThrow();
              assertThat(app.syncStatus()).isEqualTo("Synced");
              assertThat(app.message()).doesNotContain("wedged");
            });
  }

  @Test
  void anOpenStreamThatStopsHeartbeatingIsClosedAndItsClusterDisconnected() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"));
    String token = JoinTokens.newToken();
    Fleet.get(
        fleet
            .controlPlane()
            .clusters()
            .insert("quiet", "https://quiet.invalid", Map.of(), Map.of(), JoinTokens.hash(token)));
    ManagedChannel channel = fleet.grpcChannel();
    try {
      List<ControlMessage> received = new CopyOnWriteArrayList<>();
      AtomicReference<Throwable> ended = new AtomicReference<>();
      StreamObserver<AgentMessage> toControlPlane =
          AgentServiceGrpc.newStub(channel)
              .connect(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ControlMessage m) {
                      received.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {
                      ended.set(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      // A hung agent: it says hello (every 100 ms a heartbeat, it claims) and then nothing.
      toControlPlane.onNext(
          AgentMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setCluster("quiet")
                      .setToken(token)
                      .setAgentVersion("test")
                      .setHeartbeatIntervalMs(100))
              .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(ended.get()).as("stream closed by the control plane").isNotNull();
                Status status = Status.fromThrowable(ended.get());
                assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(status.getDescription())
                    .startsWith("agent for cluster quiet silent since ");
                Cluster quiet =
                    Fleet.get(fleet.controlPlane().clusters().get("quiet")).orElseThrow();
                assertThat(quiet.connected()).isFalse();
                assertThat(quiet.agentHealth()).isEqualTo("Unknown");
              });
      assertThat(fleet.controlPlane().dispatcher().isConnected("quiet")).isFalse();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aRestartedControlPlaneShowsNoClusterConnectedUntilItsAgentConnects() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"));
    var clusters = fleet.controlPlane().clusters();
    Fleet.get(
        clusters.insert(
            "ghost", "https://ghost.invalid", Map.of(), Map.of(), JoinTokens.hash("x")));
    // What a crash leaves behind: the flag of a connection that no longer exists.
    Fleet.get(clusters.markConnected("ghost", "0.1.0", true));
    assertThat(Fleet.get(clusters.get("ghost")).orElseThrow().connected()).isTrue();

    var database = fleet.controlPlane().database().connectOptions();
    int http = fleet.controlPlane().httpPort();
    int grpc = fleet.controlPlane().grpcPort();
    fleet.stopControlPlane();
    fleet.startControlPlane(http, grpc, database);

    Cluster ghost = Fleet.get(fleet.controlPlane().clusters().get("ghost")).orElseThrow();
    assertThat(ghost.connected()).isFalse();
    assertThat(ghost.agentVersion()).as("what is known is kept").isEqualTo("0.1.0");
  }

  private JsonObject clusterJson(String name) throws Exception {
    var response = fleet.rest("GET", "/api/v1/clusters/" + name, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }
}
