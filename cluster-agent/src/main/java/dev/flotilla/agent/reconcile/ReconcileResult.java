package dev.flotilla.agent.reconcile;

import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reconciling (or only comparing) one Application against its cluster.
 *
 * @param sync Synced when every desired object is live and equal on the fields we set
 * @param health worst health of the Application's objects
 * @param healthMessage why, for anything but Healthy
 * @param message short summary of what was done ("applied 3 objects, pruned 1") or of the error
 * @param failed true when rendering or applying failed; nothing already deployed was deleted then
 * @param resources one line per desired or owned object
 * @param requeueAfter when the sync is not finished: reconcile the Application again after this
 *     long (a wave waiting to become healthy when not failed, a retry backoff when failed)
 */
public record ReconcileResult(
    SyncStatus sync,
    HealthStatus health,
    String healthMessage,
    String message,
    boolean failed,
    List<ResourceStatus> resources,
    Optional<Duration> requeueAfter) {

  public ReconcileResult {
    resources = List.copyOf(resources);
    Objects.requireNonNull(requeueAfter, "requeueAfter");
  }

  /** A finished reconcile: nothing to come back for. */
  public ReconcileResult(
      SyncStatus sync,
      HealthStatus health,
      String healthMessage,
      String message,
      boolean failed,
      List<ResourceStatus> resources) {
    this(sync, health, healthMessage, message, failed, resources, Optional.empty());
  }

  /** True while a sync waits (not failed) to go on: the last-applied target is not reached yet. */
  public boolean inProgress() {
    return !failed && requeueAfter.isPresent();
  }

  ReconcileResult withMessage(String newMessage) {
    return new ReconcileResult(
        sync, health, healthMessage, newMessage, failed, resources, requeueAfter);
  }

  ReconcileResult requeuedAfter(Duration delay) {
    return new ReconcileResult(
        sync, health, healthMessage, message, failed, resources, Optional.of(delay));
  }
}
