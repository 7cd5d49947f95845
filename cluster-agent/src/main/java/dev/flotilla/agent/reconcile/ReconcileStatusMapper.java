package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
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
