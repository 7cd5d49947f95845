package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.Upsert;
import dev.flotilla.render.NeverAnsweringServer;
import dev.flotilla.render.RenderLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A render that hangs (a kustomization whose remote base is on a server that never answers) holds a
 * reconcile worker only until the render deadline: the agent's only worker then reconciles the next
 * Application, and the hung one reports the timeout instead of its last good status.
 */
class ClusterAgentHungRenderMockTest extends AgentMockTestBase {

  private NeverAnsweringServer remoteBase;

  // JUnit runs the base's @BeforeEach first and its @AfterEach last: the rig outlives this server.
  @BeforeEach
  void start() throws Exception {
    remoteBase = new NeverAnsweringServer();
  }

  @AfterEach
  void stop() throws Exception {
    remoteBase.close();
  }

  /** One worker: while a render holds it, nothing else of this agent is reconciled. */
  private AgentConfig oneWorker(Path stateDir) {
    AgentConfig c = rig.config(stateDir);
    return c.toBuilder().workers(1).build();
  }

  /** An Application whose kustomization pulls a base from the server that never answers. */
  private Assignment hung() throws Exception {
    Path work = tmp.resolve("hung-repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(work.resolve("apps/hung"));
      Files.writeString(
          work.resolve("apps/hung/kustomization.yaml"),
          "resources:\n- " + remoteBase.url("/base/cm.yaml") + "\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      git.commit().setMessage("hung").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    return Assignment.newBuilder()
        .setName("hung")
        .setProject("default")
        .setGeneration(1)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + work.toUri()
                + "\",\"path\":\"apps/hung\",\"targetRevision\":\"main\"},"
                + "\"destination\":{\"namespace\":\"demo\"},"
                + "\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}")
        .build();
  }

  private Optional<ApplicationStatus> latest(String application) {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals(application))
        .reduce((a, b) -> b);
  }

  @Test
  void aHungRenderTimesOutAndTheNextApplicationIsReconciled() throws Exception {
    rig.snapshotOnHello(hung());
    ReconcilerOptions defaults = ReconcilerOptions.defaults();
    ReconcilerOptions twoSecondRenders =
        defaults.withLimits(RenderLimits.DEFAULT.withRenderTimeout(Duration.ofSeconds(2)));
    try (ClusterAgent agent =
        new ClusterAgent(oneWorker(tmp.resolve("state")), rig.client(), twoSecondRenders)) {
      agent.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> remoteBase.accepted() > 0);
      // The hung render holds the only worker now; web queues behind it.
      rig.send(
          ControlMessage.newBuilder()
              .setUpsert(Upsert.newBuilder().setAssignment(rig.web()))
              .build());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(latest("web"))
                    .hasValueSatisfying(
                        s ->
                            assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED));
                assertThat(rig.greeting()).isNotNull();
                assertThat(latest("hung"))
                    .hasValueSatisfying(
                        s -> {
                          assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_UNKNOWN);
                          assertThat(s.getHealth()).isEqualTo(HealthStatus.HEALTH_STATUS_UNKNOWN);
                          assertThat(s.getSyncFailed()).isTrue();
                          assertThat(s.getMessage())
                              .startsWith(
                                  "render failed: kustomize build apps/hung timed out after 2s");
                        });
              });
    }
  }
}
