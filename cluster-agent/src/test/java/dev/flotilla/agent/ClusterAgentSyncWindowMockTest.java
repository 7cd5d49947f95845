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
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.Upsert;
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
 * While a sync window blocks automated sync, the agent neither applies a new assignment nor
 * self-heals drift, and says why in its status; a manual sync still applies, and an upsert of the
 * same generation that opens the window lets automated sync through.
 */
class ClusterAgentSyncWindowMockTest {

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

  private volatile StreamObserver<ControlMessage> toAgent;

  private Assignment blocked(Assignment a) {
    return a.toBuilder()
        .setAutoSyncBlocked(true)
        .setAutoSyncBlockedReason("sync window deny '* * * * *' (1h) is active")
        .build();
  }

  private void send(ControlMessage m) {
    toAgent.onNext(m);
  }

  private ApplicationStatus latest() {
    return received.stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals("web"))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  @Test
  void aBlockedAssignmentIsNeitherAppliedNorSelfHealedUntilTheWindowOpens() {
    initial = blocked(web());
    try (ClusterAgent agent = new ClusterAgent(config(tmp.resolve("state")), client)) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ApplicationStatus s = latest();
                assertThat(s).isNotNull();
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_OUT_OF_SYNC);
                assertThat(s.getMessage())
                    .contains(
                        "automated sync blocked: sync window deny '* * * * *' (1h) is active");
              });
      assertThat(greeting()).as("not applied while the window is closed").isNull();

      // A manual sync (the control plane checked the windows) applies anyway.
      send(
          ControlMessage.newBuilder()
              .setSync(SyncRequest.newBuilder().setApplication("web").setRefresh(true))
              .build());
      await().atMost(Duration.ofSeconds(20)).until(() -> greeting() != null);

      // Drift is reported but not reverted: selfHeal is suspended.
      client
          .configMaps()
          .inNamespace("demo")
          .withName("greeting")
          .edit(
              cm -> {
                cm.getData().put("hello", "edited");
                return cm;
              });
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(greeting().getData()).containsEntry("hello", "edited"));
      // A refresh compares again (without it, the next look is the periodic resync).
      send(
          ControlMessage.newBuilder()
              .setSync(
                  SyncRequest.newBuilder()
                      .setApplication("web")
                      .setRefresh(true)
                      .setRefreshOnly(true))
              .build());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(latest().getSyncStatus())
                      .isEqualTo(SyncStatus.SYNC_STATUS_OUT_OF_SYNC));

      // The window opens: the same generation, unblocked, is taken and self-heal resumes.
      send(ControlMessage.newBuilder().setUpsert(Upsert.newBuilder().setAssignment(web())).build());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(greeting().getData()).containsEntry("hello", "world"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(latest().getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                assertThat(latest().getMessage()).doesNotContain("blocked");
              });
    }
  }

  private volatile Assignment initial;

  private final class FakeControlPlane extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> out) {
      toAgent = out;
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage message) {
          received.add(message);
          if (message.hasHello()) {
            out.onNext(
                ControlMessage.newBuilder()
                    .setWelcome(Welcome.newBuilder().setCluster(CLUSTER))
                    .build());
            out.onNext(
                ControlMessage.newBuilder()
                    .setSnapshot(Snapshot.newBuilder().addAssignments(initial))
                    .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }
}
