package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AgentWatchdogTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Instant STARTED = NOW.minus(Duration.ofHours(1));
  private static final HealthSettings SETTINGS =
      HealthSettings.DEFAULTS.withThresholds(Duration.ofMinutes(2), Duration.ofMinutes(5));

  record Case(
      String name,
      ReconcileQueue.Progress queue,
      double heap,
      Optional<String> persistence,
      List<ApplicationStatus> statuses,
      AgentHealthState state,
      String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    ReconcileQueue.Progress idle =
        new ReconcileQueue.Progress(0, Optional.empty(), Map.of(), Optional.of(ago(3600)));
    return Stream.of(
        new Case("idle for an hour", idle, 0.2, Optional.empty(), List.of(), ok(), ""),
        new Case(
            "work just queued after a long idle time",
            new ReconcileQueue.Progress(3, Optional.of(ago(1)), Map.of(), Optional.of(ago(3600))),
            0.2,
            Optional.empty(),
            List.of(),
            ok(),
            ""),
        new Case(
            "a long queue that keeps finishing",
            new ReconcileQueue.Progress(
                900, Optional.of(ago(1200)), Map.of("a", ago(2)), Optional.of(ago(1))),
            0.2,
            Optional.empty(),
            List.of(),
            ok(),
            ""),
        new Case(
            "one reconcile slow while others finish",
            new ReconcileQueue.Progress(
                0, Optional.empty(), Map.of("web", ago(150), "b", ago(1)), Optional.of(ago(1))),
            0.2,
            Optional.empty(),
            List.of(),
            AgentHealthState.AGENT_HEALTH_STATE_DEGRADED,
            "reconcile of web running for 2m30s"),
        new Case(
            "nothing finished for six minutes with work outstanding",
            new ReconcileQueue.Progress(
                3, Optional.of(ago(370)), Map.of("web", ago(372)), Optional.of(ago(372))),
            0.2,
            Optional.empty(),
            List.of(),
            AgentHealthState.AGENT_HEALTH_STATE_WEDGED,
            "no reconcile finished for 6m12s with work outstanding; reconcile of web running for"
                + " 6m12s; 3 queued"),
        new Case(
            "queued work never started since the agent started",
            new ReconcileQueue.Progress(1, Optional.of(ago(600)), Map.of(), Optional.empty()),
            0.2,
            Optional.empty(),
            List.of(),
            AgentHealthState.AGENT_HEALTH_STATE_WEDGED,
            "no reconcile finished for 1h with work outstanding; 1 queued"),
        new Case(
            "heap nearly full after GC",
            idle,
            0.95,
            Optional.empty(),
            List.of(),
            AgentHealthState.AGENT_HEALTH_STATE_DEGRADED,
            "memory pressure: 95% of the heap in use after GC"),
        new Case(
            "assignments cannot be persisted",
            idle,
            -1,
            Optional.of("ConfigMap x/y: forbidden"),
            List.of(),
            AgentHealthState.AGENT_HEALTH_STATE_DEGRADED,
            "assignments not persisted: ConfigMap x/y: forbidden"),
        new Case(
            "one of two Applications failing is its own status",
            idle,
            0.2,
            Optional.empty(),
            List.of(failing("web", "render failed"), healthy("api")),
            ok(),
            "1 of 2 Applications failing (e.g. web: render failed)"),
        new Case(
            "every Application failing points at the agent",
            idle,
            0.2,
            Optional.empty(),
            List.of(failing("web", "git unreachable"), failing("api", "git unreachable")),
            AgentHealthState.AGENT_HEALTH_STATE_DEGRADED,
            "2 of 2 Applications failing (e.g. web: git unreachable)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judges(Case c) {
    AgentHealth health =
        AgentWatchdog.judge(
            new AgentWatchdog.Observed(c.queue(), STARTED, c.heap(), c.persistence(), c.statuses()),
            SETTINGS,
            NOW);
    assertThat(health.getState()).isEqualTo(c.state());
    assertThat(health.getMessage()).isEqualTo(c.message());
  }

  private static AgentHealthState ok() {
    return AgentHealthState.AGENT_HEALTH_STATE_OK;
  }

  private static Instant ago(long seconds) {
    return NOW.minusSeconds(seconds);
  }

  private static ApplicationStatus failing(String app, String message) {
    return ApplicationStatus.newBuilder()
        .setApplication(app)
        .setSyncFailed(true)
        .setMessage(message)
        .build();
  }

  private static ApplicationStatus healthy(String app) {
    return ApplicationStatus.newBuilder().setApplication(app).build();
  }
}
