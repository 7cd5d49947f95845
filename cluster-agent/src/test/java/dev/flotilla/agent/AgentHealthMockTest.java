package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.testkit.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent reports its own health with every heartbeat: a reconcile that never finishes shows up
 * at the control plane as Wedged, and the agent says OK again once work flows.
 */
class AgentHealthMockTest extends AgentMockTestBase {

  private static final HealthSettings FAST =
      new HealthSettings(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), 2);

  @Test
  void aWedgedReconcileIsReportedUpstreamAndRecovers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ClusterAgent agent =
        new ClusterAgent(rig.config(tmp.resolve("state")), rig.client(), FAST)) {
      agent.beforeReconcile(
          application -> {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      agent.start();
      assertThat(hello().getHeartbeatIntervalMs()).isEqualTo(100);

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(heartbeats())
                      .anySatisfy(
                          h -> {
                            assertThat(h.getState())
                                .isEqualTo(AgentHealthState.AGENT_HEALTH_STATE_WEDGED);
                            assertThat(h.getMessage())
                                .contains("no reconcile finished for")
                                .contains("reconcile of web running for");
                          }));

      release.countDown();
      int seen = heartbeats().size();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                // One read: a heartbeat arriving between two reads made subList throw.
                List<AgentHealth> all = heartbeats();
                assertThat(all.subList(seen, all.size()))
                    .extracting(AgentHealth::getState)
                    .contains(AgentHealthState.AGENT_HEALTH_STATE_OK);
              });
      assertThat(rig.greeting()).as("the released reconcile applied").isNotNull();
    }
  }

  @Test
  void theAgentJudgesItsLivenessByItsClockNotByWaiting() throws Exception {
    HealthSettings hourly =
        new HealthSettings(Duration.ofHours(1), Duration.ofMinutes(2), Duration.ofMinutes(10), 2);
    SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));
    CountDownLatch release = new CountDownLatch(1);
    try (ClusterAgent agent =
        new ClusterAgent(
            rig.config(tmp.resolve("state")),
            rig.client(),
            ReconcilerOptions.defaults(),
            hourly,
            clock)) {
      agent.beforeReconcile(
          application -> {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      agent.start();
      await().untilAsserted(() -> assertThat(agent.queueProgress().running()).containsKey("web"));
      assertThat(agent.health().getState())
          .as("the clock has not moved: nothing is stuck yet")
          .isNotEqualTo(AgentHealthState.AGENT_HEALTH_STATE_WEDGED);

      clock.advance(Duration.ofMinutes(11));

      AgentHealth wedged = agent.health();
      assertThat(wedged.getState()).isEqualTo(AgentHealthState.AGENT_HEALTH_STATE_WEDGED);
      assertThat(wedged.getMessage())
          .contains("no reconcile finished for 11m")
          .contains("reconcile of web running for 11m");

      release.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(agent.health().getState())
                      .isEqualTo(AgentHealthState.AGENT_HEALTH_STATE_OK));
    }
  }

  private dev.flotilla.proto.agent.v1.Hello hello() {
    await().until(() -> rig.received().stream().anyMatch(AgentMessage::hasHello));
    return rig.received().stream().filter(AgentMessage::hasHello).findFirst().get().getHello();
  }

  private List<AgentHealth> heartbeats() {
    return rig.received().stream()
        .filter(AgentMessage::hasHeartbeat)
        .map(m -> m.getHeartbeat().getHealth())
        .toList();
  }
}
