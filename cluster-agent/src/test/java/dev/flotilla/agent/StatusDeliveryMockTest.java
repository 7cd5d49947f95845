package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole agent against a fake control plane that acknowledges statuses: a status it received but
 * did not acknowledge (its write failed) is offered again at the next resync until it is, and every
 * assignment held is acknowledged again at each resync.
 */
class StatusDeliveryMockTest extends AgentMockTestBase {

  @Test
  void aStatusTheControlPlaneDidNotAcknowledgeIsSentAgainAtTheNextResyncUntilItIs()
      throws Exception {
    rig.ackStatuses(false);
    try (ClusterAgent agent = new ClusterAgent(resyncEverySecond(), rig.client())) {
      agent.start();
      // Received and never acknowledged (as when its write fails): the latest status is offered
      // again, unchanged, at the resyncs.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ApplicationStatus latest = agent.statuses().get("web");
                assertThat(latest).isNotNull();
                assertThat(received("web", latest.getSequence())).hasSizeGreaterThan(1);
              });
      assertThat(agent.unacknowledgedStatuses()).containsExactly("web");

      rig.ackStatuses(true);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(agent.unacknowledgedStatuses()).isEmpty());
    }
  }

  @Test
  void everyAssignmentHeldIsAcknowledgedAgainAtEachResync() throws Exception {
    try (ClusterAgent agent = new ClusterAgent(resyncEverySecond(), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          rig.received().stream()
                              .filter(AgentMessage::hasAcks)
                              .map(m -> m.getAcks().getAcksList()))
                      .as("at the Welcome and at resyncs")
                      .hasSizeGreaterThan(2)
                      .allSatisfy(
                          acks ->
                              assertThat(acks)
                                  .containsExactly(
                                      Ack.newBuilder()
                                          .setApplication("web")
                                          .setGeneration(1)
                                          .build())));
    }
  }

  /** Statuses of {@code application} with {@code sequence} the control plane received. */
  private List<ApplicationStatus> received(String application, long sequence) {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals(application) && s.getSequence() == sequence)
        .toList();
  }

  private AgentConfig resyncEverySecond() {
    AgentConfig c = rig.config(tmp.resolve("state"));
    return c.toBuilder().resyncInterval(Duration.ofSeconds(1)).build();
  }
}
