package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.Upsert;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * While a sync window blocks automated sync, the agent neither applies a new assignment nor
 * self-heals drift, and says why in its status; a manual sync still applies, and an upsert of the
 * same generation that opens the window lets automated sync through.
 */
class ClusterAgentSyncWindowMockTest extends AgentMockTestBase {

  private Assignment blocked(Assignment a) {
    return a.toBuilder()
        .setAutoSyncBlocked(true)
        .setAutoSyncBlockedReason("sync window deny '* * * * *' (1h) is active")
        .build();
  }

  private ApplicationStatus latest() {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals("web"))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  @Test
  void aBlockedAssignmentIsNeitherAppliedNorSelfHealedUntilTheWindowOpens() {
    rig.snapshotOnHello(blocked(rig.web()));
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
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
      assertThat(rig.greeting()).as("not applied while the window is closed").isNull();

      // A manual sync (the control plane checked the windows) applies anyway.
      rig.send(
          ControlMessage.newBuilder()
              .setSync(SyncRequest.newBuilder().setApplication("web").setRefresh(true))
              .build());
      await().atMost(Duration.ofSeconds(20)).until(() -> rig.greeting() != null);

      // Drift is reported but not reverted: selfHeal is suspended.
      rig.client()
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
          .untilAsserted(
              () -> assertThat(rig.greeting().getData()).containsEntry("hello", "edited"));
      // A refresh compares again (without it, the next look is the periodic resync).
      rig.send(
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
      rig.send(
          ControlMessage.newBuilder()
              .setUpsert(Upsert.newBuilder().setAssignment(rig.web()))
              .build());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(rig.greeting().getData()).containsEntry("hello", "world"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(latest().getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                assertThat(latest().getMessage()).doesNotContain("blocked");
              });
    }
  }
}
