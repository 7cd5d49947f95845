package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.operation.OperationState;
import dev.flotilla.agent.reconcile.operation.ResourceResult;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.ResourceResultStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;

/**
 * The one place the engine's results meet the agent protocol: everything else in the engine speaks
 * its own types, so that its tests assert on counts and states rather than on messages.
 */
public final class ReconcileStatusMapper {

  private ReconcileStatusMapper() {}

  /**
   * The status fields a reconcile determines (sync, health, messages, failure, resources); the
   * caller adds identity, revision and timestamps.
   */
  public static ApplicationStatus.Builder toStatus(ReconcileResult r) {
    ApplicationStatus.Builder b =
        ApplicationStatus.newBuilder()
            .setSyncStatus(sync(r.sync()))
            .setHealth(health(r.health()))
            .setHealthMessage(nullToEmpty(r.healthMessage()))
            .setMessage(nullToEmpty(r.message()))
            .setSyncFailed(r.failed());
    r.resources().forEach(line -> b.addResources(resource(line)));
    return b;
  }

  public static ResourceStatus resource(ResourceLine line) {
    return ResourceStatus.newBuilder()
        .setGroup(line.key().group())
        .setVersion(line.key().version())
        .setKind(line.key().kind())
        .setNamespace(line.key().namespace())
        .setName(line.key().name())
        .setSyncStatus(sync(line.sync()))
        .setHealth(health(line.health().status()))
        .setMessage(line.message())
        .setSyncPhase(line.syncPhase())
        .setHookPhase(line.hookPhase())
        .build();
  }

  /** Argo CD's status.operationState, for the protocol. */
  public static dev.flotilla.proto.agent.v1.OperationState operation(OperationState op) {
    var b =
        dev.flotilla.proto.agent.v1.OperationState.newBuilder()
            .setId(op.id())
            .setPhase(phase(op.phase()))
            .setMessage(op.message())
            .setRevision(op.revision())
            .setAutomated(op.automated())
            .setStartedAtUnixMs(op.startedAt().toEpochMilli())
            .setFinishedAtUnixMs(op.finishedAt().map(t -> t.toEpochMilli()).orElse(0L))
            .setRetryCount(op.retryCount())
            .setNextAttemptAtUnixMs(op.nextAttemptAt().map(t -> t.toEpochMilli()).orElse(0L));
    op.resources().forEach(r -> b.addResources(result(r)));
    return b.build();
  }

  static dev.flotilla.proto.agent.v1.ResourceResult result(ResourceResult r) {
    return dev.flotilla.proto.agent.v1.ResourceResult.newBuilder()
        .setGroup(r.key().group())
        .setVersion(r.key().version())
        .setKind(r.key().kind())
        .setNamespace(r.key().namespace())
        .setName(r.key().name())
        .setStatus(
            switch (r.status()) {
              case SYNCED -> ResourceResultStatus.RESOURCE_RESULT_STATUS_SYNCED;
              case SYNC_FAILED -> ResourceResultStatus.RESOURCE_RESULT_STATUS_SYNC_FAILED;
              case PRUNED -> ResourceResultStatus.RESOURCE_RESULT_STATUS_PRUNED;
              case PRUNE_SKIPPED -> ResourceResultStatus.RESOURCE_RESULT_STATUS_PRUNE_SKIPPED;
            })
        .setMessage(r.message())
        .setHookPhase(r.hookPhase())
        .setSyncWave(r.wave())
        .build();
  }

  static OperationPhase phase(dev.flotilla.agent.reconcile.operation.OperationPhase p) {
    return switch (p) {
      case RUNNING -> OperationPhase.OPERATION_PHASE_RUNNING;
      case TERMINATING -> OperationPhase.OPERATION_PHASE_TERMINATING;
      case SUCCEEDED -> OperationPhase.OPERATION_PHASE_SUCCEEDED;
      case FAILED -> OperationPhase.OPERATION_PHASE_FAILED;
      case ERROR -> OperationPhase.OPERATION_PHASE_ERROR;
    };
  }

  public static SyncStatus sync(SyncState state) {
    return switch (state) {
      case SYNCED -> SyncStatus.SYNC_STATUS_SYNCED;
      case OUT_OF_SYNC -> SyncStatus.SYNC_STATUS_OUT_OF_SYNC;
      case UNKNOWN -> SyncStatus.SYNC_STATUS_UNKNOWN;
    };
  }

  public static HealthStatus health(HealthState state) {
    return switch (state) {
      case HEALTHY -> HealthStatus.HEALTH_STATUS_HEALTHY;
      case SUSPENDED -> HealthStatus.HEALTH_STATUS_SUSPENDED;
      case PROGRESSING -> HealthStatus.HEALTH_STATUS_PROGRESSING;
      case MISSING -> HealthStatus.HEALTH_STATUS_MISSING;
      case DEGRADED -> HealthStatus.HEALTH_STATUS_DEGRADED;
      case UNKNOWN -> HealthStatus.HEALTH_STATUS_UNKNOWN;
    };
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
