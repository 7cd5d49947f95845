package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.drift.DriftScope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The control plane acknowledges each drift event it stored, so the agent's journal (which keeps
 * events across restarts until then) empties.
 */
class DriftAckE2E extends OneRepoFleetE2EBase {

  DriftAckE2E() {
    super("hello", "first app");
  }

  @Test
  void aStoredDriftEventIsAcknowledgedAndLeavesTheAgentsJournal() throws Exception {
    fleet.apply(
        AppSets.appsOneOn("healed", "one", repo.url(), AppSets.automated(true, true), "east"));
    fleet.awaitSynced("one-east");

    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("one")
        .withName("one-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", "edited by hand");
              return cm;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      Fleet.get(
                          fleet
                              .controlPlane()
                              .drift()
                              .recent("one-east", 10, DriftScope.EVERYTHING)))
                  .hasSize(1);
              assertThat(fleet.agent("east").unacknowledgedDrift()).as("acknowledged").isEmpty();
            });
  }
}
