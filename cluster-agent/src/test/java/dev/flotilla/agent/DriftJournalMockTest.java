package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Drift seen while the control plane is away survives an agent restart (journal in a ConfigMap of
 * its own, as in a pod without a volume) and is delivered once the control plane is back; what the
 * control plane acknowledges leaves the journal.
 */
class DriftJournalMockTest extends AgentMockTestBase {

  @Test
  void fiveDriftEventsSeenWhileTheControlPlaneIsAwaySurviveARestart() throws Exception {
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state-1")), rig.client())) {
      agent.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> rig.greeting() != null);
      rig.stopControlPlane();
      for (int i = 1; i <= 5; i++) {
        String edit = "edit-" + i;
        int journaled = i;
        rig.client()
            .configMaps()
            .inNamespace("demo")
            .withName("greeting")
            .edit(
                cm ->
                    new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                        .withData(Map.of("hello", edit))
                        .build());
        // Self-heal reverts each edit; each is one drift event, journaled until acknowledged.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  assertThat(rig.greeting().getData()).containsEntry("hello", "world");
                  assertThat(agent.unacknowledgedDrift()).hasSize(journaled);
                });
      }
    }

    // Restarted with an empty disk, while the control plane is still away; then it comes back.
    try (ClusterAgent restarted =
        new ClusterAgent(rig.config(tmp.resolve("state-2")), rig.client())) {
      restarted.start();
      assertThat(restarted.unacknowledgedDrift()).hasSize(5);
      rig.ackDrift();
      rig.startControlPlane();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(editsReceived())
                      .extracting(e -> e.getFields(0).getLive())
                      .containsExactlyInAnyOrder(
                          "\"edit-1\"", "\"edit-2\"", "\"edit-3\"", "\"edit-4\"", "\"edit-5\""));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(restarted.unacknowledgedDrift()).as("acknowledged").isEmpty();
                // Read as the agent reads it (gzipped into binaryData, like its assignments).
                Optional<String> journal =
                    new ConfigMapAssignmentBackend(
                            rig.client(),
                            "flotilla-agent",
                            AgentStorage.driftConfigMap(AgentTestRig.CLUSTER),
                            AgentStorage.DRIFT_JOURNAL_FILE)
                        .load();
                assertThat(journal)
                    .hasValueSatisfying(j -> assertThat(j).contains("\"events\":[]"));
              });
    }
  }

  @Test
  void anEventTheControlPlaneDidNotAcknowledgeIsOfferedAgainAtTheNextResync() throws Exception {
    AgentConfig c = rig.config(tmp.resolve("state"));
    AgentConfig everySecond = c.toBuilder().resyncInterval(Duration.ofSeconds(1)).build();
    try (ClusterAgent agent = new ClusterAgent(everySecond, rig.client())) {
      agent.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> rig.greeting() != null);
      rig.client()
          .configMaps()
          .inNamespace("demo")
          .withName("greeting")
          .edit(
              cm ->
                  new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                      .withData(Map.of("hello", "edit-1"))
                      .build());
      // Received but not acknowledged (as when the control plane cannot store it).
      await().atMost(Duration.ofSeconds(20)).until(() -> editsReceived().size() == 1);
      assertThat(agent.unacknowledgedDrift()).hasSize(1);

      rig.ackDrift();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(agent.unacknowledgedDrift()).isEmpty());
    }
  }

  /**
   * The occurrences the control plane heard of about the test's edits (each reported when it opens
   * and again when it closes, under the same detection time), newest report of each.
   */
  private List<DriftEvent> editsReceived() {
    return rig.received().stream()
        .filter(AgentMessage::hasDrift)
        .map(AgentMessage::getDrift)
        .filter(e -> e.getFieldsCount() > 0 && e.getFields(0).getLive().contains("edit-"))
        .collect(
            java.util.stream.Collectors.toMap(
                DriftEvent::getDetectedAtUnixMs, e -> e, (a, b) -> b, java.util.LinkedHashMap::new))
        .values()
        .stream()
        .toList();
  }
}
