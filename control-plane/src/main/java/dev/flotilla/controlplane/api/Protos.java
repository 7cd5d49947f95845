package dev.flotilla.controlplane.api;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.HistoryEntry;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationHistoryEntry;
import dev.flotilla.proto.api.v1.DeploymentOperation;
import dev.flotilla.proto.api.v1.HealthStatus;
import dev.flotilla.proto.api.v1.Resource;
import dev.flotilla.proto.api.v1.SyncStatus;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** Conversions from the store's views to API messages. */
public final class Protos {

  private Protos() {}

  public static dev.flotilla.proto.api.v1.Cluster cluster(Cluster c) {
    var b =
        dev.flotilla.proto.api.v1.Cluster.newBuilder()
            .setName(c.name())
            .setServer(c.server())
            .putAllLabels(c.labels())
            .putAllAnnotations(c.annotations())
            .setConnected(c.connected())
            .setAgentVersion(c.agentVersion() == null ? "" : c.agentVersion())
            .setAgentHealth(c.agentHealth() == null ? "" : c.agentHealth())
            .setAgentHealthMessage(c.agentHealthMessage() == null ? "" : c.agentHealthMessage());
    if (c.lastSeenAt() != null) {
      b.setLastSeenAt(timestamp(c.lastSeenAt()));
    }
    if (c.createdAt() != null) {
      b.setCreatedAt(timestamp(c.createdAt()));
    }
    return b.build();
  }

  public static Application application(ApplicationView v, String specJson) {
    var b =
        Application.newBuilder()
            .setName(v.name())
            .setProject(nz(v.project()))
            .setCluster(nz(v.cluster()))
            .setApplicationSet(nz(v.applicationSet()))
            .setTargetRevision(nz(v.targetRevision()))
            .setRevision(nz(v.revision()))
            .setSyncStatus(sync(v.syncStatus()))
            .setHealth(health(v.health()))
            .setHealthMessage(nz(v.healthMessage()))
            .setMessage(nz(v.message()))
            .setSyncFailed(v.syncFailed())
            .setGeneration(v.generation())
            .setDispatchError(nz(v.dispatchError()))
            .setSpecJson(nz(specJson));
    if (v.lastSyncedAt() != null) {
      b.setLastSyncedAt(timestamp(v.lastSyncedAt()));
    }
    for (int i = 0; i < v.resources().size(); i++) {
      JsonObject r = v.resources().getJsonObject(i);
      b.addResources(
          Resource.newBuilder()
              .setGroup(r.getString("group", ""))
              .setVersion(r.getString("version", ""))
              .setKind(r.getString("kind", ""))
              .setNamespace(r.getString("namespace", ""))
              .setName(r.getString("name", ""))
              .setSyncStatus(sync(r.getString("sync", "")))
              .setHealth(health(r.getString("health", "")))
              .setMessage(r.getString("message", "")));
    }
    return b.build();
  }

  public static ApplicationHistoryEntry historyEntry(HistoryEntry e) {
    var b =
        ApplicationHistoryEntry.newBuilder()
            .setId(e.id())
            .setRevision(e.revision())
            .setGeneration(e.generation())
            .setOperation(
                switch (e.operation()) {
                  case HistoryEntry.AUTOMATED -> DeploymentOperation.DEPLOYMENT_OPERATION_AUTOMATED;
                  case HistoryEntry.SYNC -> DeploymentOperation.DEPLOYMENT_OPERATION_SYNC;
                  case HistoryEntry.ROLLBACK -> DeploymentOperation.DEPLOYMENT_OPERATION_ROLLBACK;
                  default -> DeploymentOperation.DEPLOYMENT_OPERATION_UNKNOWN;
                })
            .setInitiatedBy(nz(e.initiatedBy()))
            .setRepoUrl(nz(e.repoUrl()))
            .setPath(nz(e.path()))
            .setRollbackOf(e.rollbackOf() == null ? 0 : e.rollbackOf());
    if (e.deployedAt() != null) {
      b.setDeployedAt(timestamp(e.deployedAt()));
    }
    return b.build();
  }

  public static SyncStatus sync(String s) {
    return switch (s == null ? "" : s) {
      case "Synced" -> SyncStatus.SYNC_STATUS_SYNCED;
      case "OutOfSync" -> SyncStatus.SYNC_STATUS_OUT_OF_SYNC;
      default -> SyncStatus.SYNC_STATUS_UNKNOWN;
    };
  }

  public static HealthStatus health(String h) {
    return switch (h == null ? "" : h) {
      case "Healthy" -> HealthStatus.HEALTH_STATUS_HEALTHY;
      case "Progressing" -> HealthStatus.HEALTH_STATUS_PROGRESSING;
      case "Degraded" -> HealthStatus.HEALTH_STATUS_DEGRADED;
      case "Suspended" -> HealthStatus.HEALTH_STATUS_SUSPENDED;
      case "Missing" -> HealthStatus.HEALTH_STATUS_MISSING;
      default -> HealthStatus.HEALTH_STATUS_UNKNOWN;
    };
  }

  /** The status as REST and the store spell it; the inverse of {@link #sync(String)}. */
  public static String syncName(SyncStatus s) {
    return switch (s) {
      case SYNC_STATUS_SYNCED -> "Synced";
      case SYNC_STATUS_OUT_OF_SYNC -> "OutOfSync";
      default -> "Unknown";
    };
  }

  /** The health as REST and the store spell it; the inverse of {@link #health(String)}. */
  public static String healthName(HealthStatus h) {
    return switch (h) {
      case HEALTH_STATUS_HEALTHY -> "Healthy";
      case HEALTH_STATUS_PROGRESSING -> "Progressing";
      case HEALTH_STATUS_DEGRADED -> "Degraded";
      case HEALTH_STATUS_SUSPENDED -> "Suspended";
      case HEALTH_STATUS_MISSING -> "Missing";
      default -> "Unknown";
    };
  }

  public static Timestamp timestamp(OffsetDateTime t) {
    return Timestamp.newBuilder().setSeconds(t.toEpochSecond()).setNanos(t.getNano()).build();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
