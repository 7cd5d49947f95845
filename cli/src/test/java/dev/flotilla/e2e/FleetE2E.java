package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.drift.DriftScope;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.testkit.TestRepo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system: control plane, embedded Postgres, two agents on two simulated clusters, a Git
 * repo.
 */
class FleetE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "hello"));
    repo.commit("first app");
    fleet = new Fleet(tmp.resolve("fleet"), "east", "west");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  /** Every directory under apps/ on every registered cluster. */
  private String everyAppEverywhere(String name, boolean prune) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - matrix:
                generators:
                  - git:
                      repoURL: %s
                      revision: main
                      directories:
                        - path: apps/*
                  - clusters: {}
          template:
            metadata:
              name: '{{path.basename}}-{{name}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: '{{name}}'
                namespace: '{{path.basename}}'
              syncPolicy:
                automated:
                  prune: %s
                  selfHeal: true
        """
        .formatted(name, repo.url(), repo.url(), prune);
  }

  /** apps/one on one cluster, with or without prune. */
  private String oneApp(String name, String cluster, boolean prune) {
    return AppSets.appsOneOn(name, "one", repo.url(), AppSets.automated(prune, true), cluster);
  }

  @Test
  void addingADirectoryDeploysItToBothClusters() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east", "one-west");
    assertThat(fleet.configMap("east", "one", "one-config").getData())
        .containsEntry("greeting", "hello");
    assertThat(fleet.configMap("west", "one", "one-config").getData())
        .containsEntry("greeting", "hello");

    repo.write("apps/two/config.yaml", configMap("two-config", "greeting", "hi from two"));
    String sha = repo.commit("add app two");

    fleet.awaitSynced("two-east", "two-west");
    assertThat(fleet.configMap("east", "two", "two-config").getData())
        .containsEntry("greeting", "hi from two");
    assertThat(fleet.configMap("west", "two", "two-config").getData())
        .containsEntry("greeting", "hi from two");
    assertThat(fleet.application("two-west").orElseThrow().revision()).isEqualTo(sha);
  }

  @Test
  void changingAConfigMapInGitUpdatesBothClusters() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east", "one-west");

    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "changed in git"));
    String sha = repo.commit("change greeting");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fleet.configMap("east", "one", "one-config").getData())
                  .containsEntry("greeting", "changed in git");
              assertThat(fleet.configMap("west", "one", "one-config").getData())
                  .containsEntry("greeting", "changed in git");
            });
    fleet.awaitSynced("one-east", "one-west");
    assertThat(fleet.application("one-east").orElseThrow().revision()).isEqualTo(sha);
  }

  @Test
  void removingAResourceFromGitPrunesItOnlyWhenTheApplicationAsksForPrune() throws Exception {
    repo.write("apps/one/extra.yaml", configMap("one-extra", "k", "v"));
    repo.commit("extra config");
    fleet.apply(oneApp("pruned", "east", true));
    fleet.apply(oneApp("kept", "west", false));
    fleet.awaitSynced("one-east", "one-west");
    assertThat(fleet.configMap("east", "one", "one-extra")).isNotNull();
    assertThat(fleet.configMap("west", "one", "one-extra")).isNotNull();

    repo.remove("apps/one/extra.yaml");
    String sha = repo.commit("drop extra config");

    fleet.awaitRevision(sha, "one-east", "one-west");
    fleet.awaitSynced("one-east");
    assertThat(fleet.configMap("east", "one", "one-extra")).isNull();
    assertThat(fleet.configMap("west", "one", "one-extra"))
        .as("without prune the object Git dropped stays")
        .isNotNull();
    assertThat(fleet.configMap("west", "one", "one-config")).isNotNull();
  }

  @Test
  void restartingAnAgentResyncsWithoutDuplicateApplies() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east", "one-west");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleet.applications().stream().allMatch(a -> "Healthy".equals(a.health())));

    fleet.stopAgent("east");
    fleet.cluster("east").drainRequests();
    fleet.startAgent("east");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet.agent("east").isConnected()
                    && fleet.agent("east").statuses().containsKey("one-east"));
    fleet.awaitSynced("one-east");
    List<String> writes =
        fleet.cluster("east").drainRequests().stream().filter(r -> !r.startsWith("GET")).toList();
    assertThat(writes).as("a restarted agent re-applies nothing that is already right").isEmpty();
    assertThat(fleet.configMap("east", "one", "one-config").getData())
        .containsEntry("greeting", "hello");
  }

  @Test
  void aWrongTokenIsRefusedAndReceivesNothing() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east");

    for (Hello hello :
        List.of(
            Hello.newBuilder().setCluster("east").setToken("flt_wrong").build(),
            Hello.newBuilder().setCluster("nosuch").setToken(fleet.token("east")).build(),
            Hello.newBuilder().setCluster("west").setToken(fleet.token("east")).build())) {
      List<ControlMessage> received = new CopyOnWriteArrayList<>();
      AtomicReference<Status> closedWith = new AtomicReference<>();
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", fleet.controlPlane().grpcPort())
              .usePlaintext()
              .build();
      try {
        StreamObserver<AgentMessage> out =
            AgentServiceGrpc.newStub(channel)
                .connect(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(ControlMessage m) {
                        received.add(m);
                      }

                      @Override
                      public void onError(Throwable t) {
                        closedWith.set(Status.fromThrowable(t));
                      }

                      @Override
                      public void onCompleted() {
                        closedWith.set(Status.OK);
                      }
                    });
        out.onNext(AgentMessage.newBuilder().setHello(hello).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != null);
        assertThat(closedWith.get().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(received).as("nothing is sent before authentication").isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aRevokedTokenDisconnectsTheAgentAndKeepsWhatIsDeployed() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east", "one-west");

    assertThat(Fleet.get(fleet.controlPlane().clusters().revokeToken("east"))).isTrue();
    fleet.controlPlane().dispatcher().disconnect("east", "token revoked");

    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.agent("east").lastRefusal() != null);
    assertThat(fleet.agent("east").lastRefusal().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(fleet.configMap("east", "one", "one-config")).isNotNull();
  }

  @Test
  void theAgentKeepsItsClusterWhileTheControlPlaneIsUnreachable() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east");
    ApplicationView before = fleet.application("one-east").orElseThrow();

    // The agent restarts with nothing but its persisted assignments; nothing listens where it
    // dials.
    fleet.stopAgent("east");
    fleet.cluster("east").client().configMaps().inNamespace("one").withName("one-config").delete();
    fleet.startAgent("east", "127.0.0.1:" + Fleet.unusedPort());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fleet.configMap("east", "one", "one-config"))
                    .as("recreated from the persisted assignment")
                    .isNotNull());
    assertThat(fleet.configMap("east", "one", "one-config").getData())
        .containsEntry("greeting", "hello");
    assertThat(fleet.agent("east").statuses().get("one-east").getRevision())
        .isEqualTo(before.revision());
  }

  @Test
  void aManualEditIsRevertedUnderSelfHealAndReportedAsDrift() throws Exception {
    fleet.apply(oneApp("healed", "east", true));
    fleet.apply(oneApp("left", "west", true).replace("selfHeal: true", "selfHeal: false"));
    fleet.awaitSynced("one-east", "one-west");

    for (String cluster : List.of("east", "west")) {
      fleet
          .cluster(cluster)
          .client()
          .configMaps()
          .inNamespace("one")
          .withName("one-config")
          .edit(
              cm -> {
                cm.getData().put("greeting", "edited by hand");
                return cm;
              });
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(fleet.configMap("east", "one", "one-config").getData())
                    .as("self-heal reverts the edit")
                    .containsEntry("greeting", "hello"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var events =
                  Fleet.get(
                      fleet.controlPlane().drift().recent("one-east", 10, DriftScope.EVERYTHING));
              assertThat(events).isNotEmpty();
              assertThat(events.get(0).getString("healedAt")).isNotNull();
              assertThat(events.get(0).getJsonArray("fields").encode())
                  .contains("/data/greeting")
                  .contains("edited by hand");
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(fleet.application("one-west").orElseThrow().syncStatus())
                  .isEqualTo("OutOfSync");
              var events =
                  Fleet.get(
                      fleet.controlPlane().drift().recent("one-west", 10, DriftScope.EVERYTHING));
              assertThat(events).isNotEmpty();
              assertThat(events.get(0).getString("healedAt")).isNull();
            });
    assertThat(fleet.configMap("west", "one", "one-config").getData())
        .as("without selfHeal the edit stays until the next sync")
        .containsEntry("greeting", "edited by hand");
  }

  @Test
  void preserveResourcesOnDeletionKeepsWhatADeletedApplicationDeployed() throws Exception {
    String preserving =
        oneApp("kept", "east", true)
            .replace(
                "  generators:",
                "  syncPolicy:\n    preserveResourcesOnDeletion: true\n  generators:");
    fleet.apply(preserving);
    fleet.apply(oneApp("dropped", "west", true));
    fleet.awaitSynced("one-east", "one-west");

    Fleet.get(fleet.controlPlane().controller().delete("kept"));
    Fleet.get(fleet.controlPlane().controller().delete("dropped"));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(fleet.configMap("west", "one", "one-config"))
                    .as("deleted with its Application (resources finalizer)")
                    .isNull());
    assertThat(fleet.application("one-east")).isEmpty();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> fleet.configMap("east", "one", "one-config") != null);
  }

  @Test
  void agentsReconnectWhenTheControlPlaneComesBackAndKeepHealingMeanwhile() throws Exception {
    fleet.apply(everyAppEverywhere("fleet", true));
    fleet.awaitSynced("one-east", "one-west");
    var database = fleet.controlPlane().database().connectOptions();
    int http = fleet.controlPlane().httpPort();
    int grpc = fleet.controlPlane().grpcPort();

    fleet.stopControlPlane();
    await().atMost(Duration.ofSeconds(10)).until(() -> !fleet.agent("east").isConnected());
    // With the control plane away the agent still keeps its cluster equal to Git.
    fleet.cluster("east").client().configMaps().inNamespace("one").withName("one-config").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(fleet.configMap("east", "one", "one-config")).isNotNull());

    fleet.startControlPlane(http, grpc, database);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet
                    .controlPlane()
                    .dispatcher()
                    .connectedClusters()
                    .containsAll(List.of("east", "west")));
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "after the outage"));
    String sha = repo.commit("after outage");
    fleet.awaitRevision(sha, "one-east", "one-west");
    assertThat(fleet.configMap("west", "one", "one-config").getData())
        .containsEntry("greeting", "after the outage");
  }
}
