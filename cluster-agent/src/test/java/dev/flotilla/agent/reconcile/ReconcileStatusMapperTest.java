package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's result as the protocol sees it: every field and every enum value maps. */
class ReconcileStatusMapperTest {

  @Test
  void mapsEveryFieldTheReconcileDetermines() {
    ObjectKey key = new ObjectKey("apps", "v1", "Deployment", "ns", "web");
    ReconcileResult r =
        new ReconcileResult(
            SyncState.OUT_OF_SYNC,
            HealthState.PROGRESSING,
            "apps/Deployment ns/web: rolling out",
            "applied 1 objects",
            true,
            List.of(
                new ResourceLine(
                    key, SyncState.OUT_OF_SYNC, Health.progressing("rolling out"), null)));

    ApplicationStatus status = ReconcileStatusMapper.toStatus(r).build();

    assertThat(status.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_OUT_OF_SYNC);
    assertThat(status.getHealth()).isEqualTo(HealthStatus.HEALTH_STATUS_PROGRESSING);
    assertThat(status.getHealthMessage()).isEqualTo("apps/Deployment ns/web: rolling out");
    assertThat(status.getMessage()).isEqualTo("applied 1 objects");
    assertThat(status.getSyncFailed()).isTrue();
    assertThat(status.getResourcesList())
        .containsExactly(
            ResourceStatus.newBuilder()
                .setGroup("apps")
                .setVersion("v1")
                .setKind("Deployment")
                .setNamespace("ns")
                .setName("web")
                .setSyncStatus(SyncStatus.SYNC_STATUS_OUT_OF_SYNC)
                .setHealth(HealthStatus.HEALTH_STATUS_PROGRESSING)
                .setMessage("")
                .build());
  }

  @ParameterizedTest
  @EnumSource(HealthState.class)
  void everyHealthStateHasItsWireValueOfTheSameName(HealthState state) {
    assertThat(ReconcileStatusMapper.health(state).name()).isEqualTo("HEALTH_STATUS_" + state);
  }

  @ParameterizedTest
  @EnumSource(SyncState.class)
  void everySyncStateHasItsWireValueOfTheSameName(SyncState state) {
    assertThat(ReconcileStatusMapper.sync(state).name()).isEqualTo("SYNC_STATUS_" + state);
  }
}
