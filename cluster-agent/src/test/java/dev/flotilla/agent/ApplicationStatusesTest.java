package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.SyncState;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status reported for an Application, its times read from the agent's clock. */
class ApplicationStatusesTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private final ApplicationStatuses statuses =
      new ApplicationStatuses(Clock.fixed(NOW, ZoneOffset.UTC));

  private static ReconcileResult synced() {
    return new ReconcileResult(SyncState.SYNCED, HealthState.HEALTHY, null, null, false, List.of());
  }

  private static ReconcileResult failed() {
    return new ReconcileResult(
        SyncState.OUT_OF_SYNC, HealthState.HEALTHY, null, "boom", true, List.of());
  }

  private static ApplicationStatus before(String revision, long lastSynced) {
    return ApplicationStatus.newBuilder()
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setRevision(revision)
        .setLastSyncedAtUnixMs(lastSynced)
        .build();
  }

  @Test
  void becomingSyncedAtANewRevisionIsStampedNow() {
    assertThat(statuses.of("abc", synced(), Optional.empty()).getLastSyncedAtUnixMs())
        .isEqualTo(NOW.toEpochMilli());
    assertThat(statuses.of("abc", synced(), Optional.of(before("old", 7))).getLastSyncedAtUnixMs())
        .isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void stayingSyncedOrFailingKeepsTheLastSyncedTime() {
    assertThat(statuses.of("abc", synced(), Optional.of(before("abc", 7))).getLastSyncedAtUnixMs())
        .isEqualTo(7);
    assertThat(statuses.of("new", failed(), Optional.of(before("abc", 7))).getLastSyncedAtUnixMs())
        .isEqualTo(7);
    assertThat(statuses.of("new", failed(), Optional.empty()).getLastSyncedAtUnixMs()).isZero();
  }

  @Test
  void aStatusIsStampedWithTheAssignmentAndTheClock() {
    Assignment a = Assignment.newBuilder().setName("web").setGeneration(4).build();

    ApplicationStatus status =
        statuses.stamp(a, ApplicationStatuses.failure("spec.source.repoURL is missing", ""));

    assertThat(status.getApplication()).isEqualTo("web");
    assertThat(status.getGeneration()).isEqualTo(4);
    assertThat(status.getObservedAtUnixMs()).isEqualTo(NOW.toEpochMilli());
    assertThat(status.getSyncFailed()).isTrue();
    assertThat(status.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_UNKNOWN);
    assertThat(status.getHealth()).isEqualTo(HealthStatus.HEALTH_STATUS_UNKNOWN);
    assertThat(status.getMessage()).isEqualTo("spec.source.repoURL is missing");
  }
}
