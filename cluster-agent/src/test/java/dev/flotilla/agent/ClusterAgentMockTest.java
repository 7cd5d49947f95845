package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The agent against a fake control plane (real gRPC on loopback) and fabric8's mock API server:
 * statuses go up in batches, and assignments kept in a ConfigMap survive a restart while the
 * control plane is away.
 */
class ClusterAgentMockTest extends AgentMockTestBase {

  @Test
  void statusGoesUpInBatchesAndConfigMapStateSurvivesARestartWithoutTheControlPlane() {
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state-1")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          rig.received().stream()
                              .filter(AgentMessage::hasStatuses)
                              .flatMap(m -> m.getStatuses().getStatusesList().stream()))
                      .extracting(
                          ApplicationStatus::getApplication, ApplicationStatus::getSyncStatus)
                      .contains(
                          org.assertj.core.groups.Tuple.tuple(
                              "web", SyncStatus.SYNC_STATUS_SYNCED)));
      assertThat(rig.received()).as("no unbatched status").noneMatch(AgentMessage::hasStatus);
      assertThat(rig.greeting().getData()).containsEntry("hello", "world");
      ConfigMap state =
          rig.client()
              .configMaps()
              .inNamespace("flotilla-agent")
              .withName("flotilla-agent-state-" + AgentTestRig.CLUSTER)
              .get();
      assertThat(state.getBinaryData()).containsKey("assignments.json.gz");
      assertThat(
              new ConfigMapAssignmentBackend(
                      rig.client(),
                      "flotilla-agent",
                      ConfigMapAssignmentBackend.nameFor(AgentTestRig.CLUSTER))
                  .load())
          .get()
          .asString()
          .contains("\"web\"");
    }

    // The control plane is gone, the cluster drifted, and the agent restarts with an empty disk.
    rig.stopControlPlane();
    rig.client().configMaps().inNamespace("demo").withName("greeting").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> rig.greeting() == null);

    try (ClusterAgent restarted =
        new ClusterAgent(rig.config(tmp.resolve("state-2")), rig.client())) {
      restarted.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(rig.greeting()).as("re-applied from the ConfigMap").isNotNull());
      assertThat(restarted.isConnected()).isFalse();
    }
  }
}
