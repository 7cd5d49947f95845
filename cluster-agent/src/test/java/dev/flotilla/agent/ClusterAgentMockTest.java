package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Snapshot;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.Welcome;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a fake control plane (real gRPC on loopback) and fabric8's mock API server:
 * statuses go up in batches, and assignments kept in a ConfigMap survive a restart while the
 * control plane is away.
 */
class ClusterAgentMockTest {

  private static final String CLUSTER = "test";

  @TempDir Path tmp;
  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private Server controlPlane;
  private int controlPlanePort;
  private final List<AgentMessage> received = new CopyOnWriteArrayList<>();
  private String repoUrl;

  @BeforeAll
  static void quiet() {
    QuietMockServer.quiet();
  }

  @BeforeEach
  void start() throws Exception {
    apiServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    apiServer.init(InetAddress.getLoopbackAddress(), 0);
    client = apiServer.createClient();

    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(work.resolve("apps/web"));
      Files.writeString(
          work.resolve("apps/web/cm.yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  hello: world\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      git.commit().setMessage("web").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    repoUrl = work.toUri().toString();

    controlPlane =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new FakeControlPlane())
            .build()
            .start();
    controlPlanePort = controlPlane.getPort();
  }

  @AfterEach
  void stop() {
    controlPlane.shutdownNow();
    client.close();
    apiServer.destroy();
  }

  private AgentConfig config(Path stateDir) {
    return new AgentConfig(
        "127.0.0.1:" + controlPlanePort,
        CLUSTER,
        "token",
        null,
        stateDir,
        Duration.ofMinutes(5),
        2,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        null,
        null,
        AgentConfig.StateStore.CONFIGMAP,
        "flotilla-agent",
        null);
  }

  private Assignment web() {
    return Assignment.newBuilder()
        .setName("web")
        .setProject("default")
        .setGeneration(1)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + repoUrl
                + "\",\"path\":\"apps/web\",\"targetRevision\":\"main\"},"
                + "\"destination\":{\"namespace\":\"demo\"},"
                + "\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}")
        .build();
  }

  private ConfigMap greeting() {
    return client.configMaps().inNamespace("demo").withName("greeting").get();
  }

  @Test
  void statusGoesUpInBatchesAndConfigMapStateSurvivesARestartWithoutTheControlPlane() {
    try (ClusterAgent agent = new ClusterAgent(config(tmp.resolve("state-1")), client)) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          received.stream()
                              .filter(AgentMessage::hasStatuses)
                              .flatMap(m -> m.getStatuses().getStatusesList().stream()))
                      .extracting(
                          ApplicationStatus::getApplication, ApplicationStatus::getSyncStatus)
                      .contains(
                          org.assertj.core.groups.Tuple.tuple(
                              "web", SyncStatus.SYNC_STATUS_SYNCED)));
      assertThat(received).as("no unbatched status").noneMatch(AgentMessage::hasStatus);
      assertThat(greeting().getData()).containsEntry("hello", "world");
      ConfigMap state =
          client
              .configMaps()
              .inNamespace("flotilla-agent")
              .withName("flotilla-agent-state-" + CLUSTER)
              .get();
      assertThat(state.getData().get("assignments.json")).contains("\"web\"");
    }

    // The control plane is gone, the cluster drifted, and the agent restarts with an empty disk.
    controlPlane.shutdownNow();
    client.configMaps().inNamespace("demo").withName("greeting").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> greeting() == null);

    try (ClusterAgent restarted = new ClusterAgent(config(tmp.resolve("state-2")), client)) {
      restarted.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(greeting()).as("re-applied from the ConfigMap").isNotNull());
      assertThat(restarted.isConnected()).isFalse();
    }
  }

  private final class FakeControlPlane extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> toAgent) {
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage message) {
          received.add(message);
          if (message.hasHello()) {
            toAgent.onNext(
                ControlMessage.newBuilder()
                    .setWelcome(Welcome.newBuilder().setCluster(CLUSTER))
                    .build());
            toAgent.onNext(
                ControlMessage.newBuilder()
                    .setSnapshot(Snapshot.newBuilder().addAssignments(web()))
                    .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          toAgent.onCompleted();
        }
      };
    }
  }
}
