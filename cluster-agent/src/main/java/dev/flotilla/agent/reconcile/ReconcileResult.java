package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.operation.ResourceResult;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reconciling (or only comparing) one Application against its cluster: the engine's
 * own type, free of protocol types ({@link ReconcileStatusMapper} turns it into a status message).
 *
 * @param sync Synced when every desired object is live and equal on the fields we set
 * @param health worst health of the Application's objects
 * @param healthMessage why, for anything but Healthy
 * @param message short summary of what was done ("applied 3 objects, pruned 1") or of the error
 * @param failed true when rendering or applying failed; nothing already deployed was deleted then
 * @param resources one line per desired or owned object
 * @param requeueAfter when the sync is not finished: reconcile the Application again after this
 *     long (a wave waiting to become healthy when not failed, a retry backoff when failed)
 * @param counts what this reconcile wrote
 * @param errors the error of each object that could not be written or was refused
 * @param waves how far the sync got through its waves
 * @param syncResults what this reconcile did to each object it applied, pruned or failed on, in
 *     order (Argo CD's {@code syncResult.resources}); empty when it only compared
 */
public record ReconcileResult(
    SyncState sync,
    HealthState health,
    String healthMessage,
    String message,
    boolean failed,
    List<ResourceLine> resources,
    Optional<Duration> requeueAfter,
    SyncCounts counts,
    Map<ObjectKey, String> errors,
    WaveState waves,
    List<ResourceResult> syncResults) {

  public ReconcileResult {
    syncResults = List.copyOf(syncResults);
    resources = List.copyOf(resources);
    Objects.requireNonNull(requeueAfter, "requeueAfter");
    Objects.requireNonNull(counts, "counts");
    errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    Objects.requireNonNull(waves, "waves");
  }

  /** A finished reconcile that wrote nothing: nothing to come back for. */
  public ReconcileResult(
      SyncState sync,
      HealthState health,
      String healthMessage,
      String message,
      boolean failed,
      List<ResourceLine> resources) {
    this(
        sync,
        health,
        healthMessage,
        message,
        failed,
        resources,
        Optional.empty(),
        SyncCounts.NONE,
        Map.of(),
        WaveState.NONE,
        List.of());
  }

  /** A reconcile that failed before it knew anything about the cluster (render, read). */
  static ReconcileResult failure(String message) {
    return new ReconcileResult(
        SyncState.UNKNOWN, HealthState.UNKNOWN, message, message, true, List.of());
  }

  /** True while a sync waits (not failed) to go on: the last-applied target is not reached yet. */
  public boolean inProgress() {
    return !failed && requeueAfter.isPresent();
  }

  ReconcileResult withMessage(String newMessage) {
    return new ReconcileResult(
        sync,
        health,
        healthMessage,
        newMessage,
        failed,
        resources,
        requeueAfter,
        counts,
        errors,
        waves,
        syncResults);
  }

  ReconcileResult requeuedAfter(Duration delay) {
    return new ReconcileResult(
        sync,
        health,
        healthMessage,
        message,
        failed,
        resources,
        Optional.of(delay),
        counts,
        errors,
        waves,
        syncResults);
  }

  ReconcileResult withProgress(
      SyncCounts newCounts, Map<ObjectKey, String> newErrors, WaveState w) {
    return new ReconcileResult(
        sync,
        health,
        healthMessage,
        message,
        failed,
        resources,
        requeueAfter,
        newCounts,
        newErrors,
        w,
        syncResults);
  }

  ReconcileResult withSyncResults(List<ResourceResult> results) {
    return new ReconcileResult(
        sync,
        health,
        healthMessage,
        message,
        failed,
        resources,
        requeueAfter,
        counts,
        errors,
        waves,
        results);
  }

  /**
   * Nothing was created, patched or pruned (what a self-heal that found nothing to do looks like).
   */
  public boolean wroteNothing() {
    return counts.created() == 0 && counts.patched() == 0 && counts.pruned() == 0;
  }
}
