package dev.flotilla.controlplane.application;

import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.OperationState;
import dev.flotilla.proto.agent.v1.ResourceResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A sync operation as REST, gRPC and the CLI show it (Argo CD's {@code status.operationState}), in
 * the JSON shape stored in {@code application_status.operation_state}: id, phase, message,
 * revision, startedAt, finishedAt, retryCount, nextAttemptAt, initiatedBy, resources.
 */
public final class SyncOperation {

  /** Who automated operations (sync policy, self-heal) are attributed to. */
  public static final String AUTOMATED = "automated";

  public static final String RUNNING = "Running";
  public static final String TERMINATING = "Terminating";

  private SyncOperation() {}

  /** The agent's report of an operation as JSON; {@code initiatedBy} as resolved by the caller. */
  static JsonObject toJson(OperationState op, String initiatedBy) {
    JsonArray resources = new JsonArray();
    for (ResourceResult r : op.getResourcesList()) {
      JsonObject line =
          new JsonObject()
              .put("group", r.getGroup())
              .put("version", r.getVersion())
              .put("kind", r.getKind())
              .put("namespace", r.getNamespace())
              .put("name", r.getName())
              .put("status", status(r))
              .put("message", r.getMessage())
              .put("syncWave", r.getSyncWave());
      if (!r.getHookPhase().isEmpty()) {
        line.put("hookPhase", r.getHookPhase());
      }
      resources.add(line);
    }
    return new JsonObject()
        .put("id", op.getId())
        .put("phase", phase(op.getPhase()))
        .put("message", op.getMessage())
        .put("revision", op.getRevision())
        .put("startedAt", time(op.getStartedAtUnixMs()))
        .put("finishedAt", time(op.getFinishedAtUnixMs()))
        .put("retryCount", op.getRetryCount())
        .put("nextAttemptAt", time(op.getNextAttemptAtUnixMs()))
        .put("initiatedBy", initiatedBy)
        .put("resources", resources);
  }

  static String phase(OperationPhase p) {
    return switch (p) {
      case OPERATION_PHASE_RUNNING -> RUNNING;
      case OPERATION_PHASE_TERMINATING -> TERMINATING;
      case OPERATION_PHASE_SUCCEEDED -> "Succeeded";
      case OPERATION_PHASE_FAILED -> "Failed";
      case OPERATION_PHASE_ERROR -> "Error";
      default -> "Unknown";
    };
  }

  static boolean running(String phase) {
    return RUNNING.equals(phase) || TERMINATING.equals(phase);
  }

  private static String status(ResourceResult r) {
    return switch (r.getStatus()) {
      case RESOURCE_RESULT_STATUS_SYNCED -> "Synced";
      case RESOURCE_RESULT_STATUS_SYNC_FAILED -> "SyncFailed";
      case RESOURCE_RESULT_STATUS_PRUNED -> "Pruned";
      case RESOURCE_RESULT_STATUS_PRUNE_SKIPPED -> "PruneSkipped";
      default -> "Unknown";
    };
  }

  private static String time(long unixMs) {
    return unixMs == 0 ? null : Instant.ofEpochMilli(unixMs).toString();
  }
}
