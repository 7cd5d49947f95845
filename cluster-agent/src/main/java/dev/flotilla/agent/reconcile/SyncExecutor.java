package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.hooks.HookStep;
import dev.flotilla.agent.reconcile.operation.OperationState;
import dev.flotilla.agent.reconcile.operation.ResourceResult;
import dev.flotilla.agent.reconcile.operation.ResultCode;
import dev.flotilla.agent.reconcile.plan.ApplyMode;
import dev.flotilla.agent.reconcile.plan.PlannedApply;
import dev.flotilla.agent.reconcile.plan.PlannedPrune;
import dev.flotilla.agent.reconcile.plan.SyncPlan;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import dev.flotilla.agent.reconcile.plan.Wave;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Carries out an applying {@link SyncPlan}: the waves in order, each a health gate for the next,
 * then the prune; the objects of one step are written concurrently ({@link WaveWriter}). Never
 * waits: a gate not yet open ends the reconcile with "come back after the health poll interval",
 * and the next reconcile plans and applies again (what is done is unchanged then), so no worker is
 * parked. A gate still closed past the progress deadline of the object it waits for ({@value
 * #PROGRESS_DEADLINE} annotation in seconds, else the wave timeout) fails the sync; meanwhile the
 * message says what it waits for and for how long.
 */
final class SyncExecutor {

  /** Per-object override of how long a sync waits for that object to become healthy. */
  static final String PROGRESS_DEADLINE = "flotilla.dev/progress-deadline-seconds";

  private final ObjectApplier applier;
  private final ResultSummary summary;
  private final HealthWaits waits;
  private final ReconcilerOptions options;
  private final WaveWriter writer;

  SyncExecutor(
      ObjectApplier applier,
      ResultSummary summary,
      HealthWaits waits,
      ReconcilerOptions options,
      WaveWriter writer) {
    this.applier = applier;
    this.summary = summary;
    this.waits = waits;
    this.options = options;
    this.writer = writer;
  }

  /** What this sync has done so far; one per call of {@link #sync}. */
  private static final class Progress {
    final Map<ObjectKey, ObjectNode> live;
    final Map<ObjectKey, String> errors = new LinkedHashMap<>();
    final List<Integer> appliedWaves = new ArrayList<>();
    final List<ResourceResult> results = new ArrayList<>();
    List<ObjectNode> left;
    int created;
    int patched;
    int unchanged;
    int pruned;
    String failure;
    String waiting;

    Progress(Map<ObjectKey, ObjectNode> live, List<ObjectNode> orphans) {
      this.live = new HashMap<>(live);
      this.left = orphans;
    }

    boolean stopped() {
      return failure != null || waiting != null;
    }
  }

  ReconcileResult sync(DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live) {
    return sync(state, plan, live, WaveHooks.NONE);
  }

  /** As {@link #sync(DesiredState, SyncPlan, Map)}, running each wave's Sync hooks after it. */
  ReconcileResult sync(
      DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live, WaveHooks hooks) {
    Progress p = new Progress(live, plan.orphans());
    applyWaves(state, plan, p, hooks);
    if (!p.stopped() && plan.pruneLast()) {
      awaitHealthBeforePrune(state, p);
    }
    if (!p.stopped()) {
      prune(plan.prune(), p);
    }
    return report(state, plan, p);
  }

  private void applyWaves(DesiredState state, SyncPlan plan, Progress p, WaveHooks hooks) {
    List<Wave> waves = plan.waves();
    for (int i = 0; i < waves.size() && !p.stopped(); i++) {
      Wave wave = waves.get(i);
      if (!applyWave(wave, plan, p)) {
        return;
      }
      p.appliedWaves.add(wave.number());
      HookStep hookStep = hooks.run(wave.number());
      if (!hookStep.done()) {
        if (hookStep.failed()) {
          p.failure = hookStep.message();
        } else {
          p.waiting = hookStep.message();
        }
        return;
      }
      if (i < waves.size() - 1) {
        List<ObjectNode> objects = wave.objects().stream().map(PlannedApply::desired).toList();
        gate(
            state,
            objects,
            state.revision() + " wave " + wave.number(),
            "wave " + wave.number(),
            p);
      }
    }
  }

  /**
   * Waits (by requeue) until every one of {@code objects} is healthy, failing once the first
   * unhealthy one has been waited for past its progress deadline.
   */
  private void gate(
      DesiredState state, List<ObjectNode> objects, String step, String where, Progress p) {
    for (ObjectNode obj : objects) {
      ObjectKey key = ObjectKey.of(obj);
      Health h = summary.health(p.live.get(key));
      if (h.isHealthy()) {
        continue;
      }
      String why = h.status().label() + (h.message().isEmpty() ? "" : ": " + h.message());
      Duration deadline = deadline(obj);
      Duration waited = waits.waited(state.app().name(), step);
      if (waited.compareTo(deadline) > 0) {
        waits.clear(state.app().name());
        p.failure =
            key
                + " ("
                + where
                + ") did not become healthy within its progress deadline of "
                + OperationState.describe(deadline)
                + ": "
                + why;
      } else {
        p.waiting =
            "waiting for healthy state of "
                + key
                + " ("
                + where
                + "), "
                + OperationState.describe(waited)
                + " of "
                + OperationState.describe(deadline)
                + ": "
                + why;
      }
      return;
    }
  }

  /** The object's own progress deadline when it sets one, else the wave timeout. */
  private Duration deadline(ObjectNode obj) {
    String v = obj.path("metadata").path("annotations").path(PROGRESS_DEADLINE).asText("");
    try {
      long seconds = Long.parseLong(v.trim());
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // not set, or not a number: the default applies
    }
    return options.waveTimeout();
  }

  /** One object's write: what the server returned, or why it failed. */
  private record Written(PlannedApply step, ObjectApplier.Outcome outcome, String error) {}

  /**
   * Applies one wave, as Argo CD does: the objects of one kind together (concurrently, {@link
   * WaveWriter}), one kind after another in the wave's order, so that namespaces and config exist
   * before the workloads using them. Every object of the wave is tried; false when one failed (the
   * sync stops after the wave).
   */
  private boolean applyWave(Wave wave, SyncPlan plan, Progress p) {
    List<String> failures = new ArrayList<>();
    for (List<PlannedApply> group : consecutive(wave.objects(), s -> s.key().kind())) {
      // p.live is only read while the group is written, and updated after it by this thread.
      for (Written w : writer.writeAll(group, s -> write(s, p.live.get(s.key()), plan))) {
        record(w, wave.number(), p, failures);
      }
    }
    if (failures.isEmpty()) {
      return true;
    }
    p.failure =
        failures.get(0)
            + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failed)" : "");
    return false;
  }

  /** Runs on a helper thread: touches nothing shared but the applier. */
  private Written write(PlannedApply step, ObjectNode live, SyncPlan plan) {
    try {
      return new Written(
          step,
          applier.apply(
              step.desired(),
              live,
              mode(step.mode()),
              step.ignoredPointers(),
              plan.respectIgnoreDifferences()),
          null);
    } catch (KubernetesClientException
        | IllegalArgumentException
        | ObjectApplier.OwnershipConflictException e) {
      return new Written(step, null, e.getMessage());
    }
  }

  /** Adds one write's outcome to the sync's progress, on the sync's own thread. */
  private static void record(Written w, int wave, Progress p, List<String> failures) {
    ObjectKey key = w.step().key();
    if (w.error() != null) {
      p.errors.put(key, w.error());
      p.results.add(ResourceResult.of(key, ResultCode.SYNC_FAILED, w.error(), wave));
      failures.add("could not apply " + key + ": " + w.error());
      return;
    }
    p.live.put(key, w.outcome().live());
    String done =
        switch (w.outcome().action()) {
          case CREATED -> {
            p.created++;
            yield "created";
          }
          case UNCHANGED -> {
            p.unchanged++;
            yield "unchanged";
          }
          default -> {
            p.patched++;
            yield "configured";
          }
        };
    p.results.add(ResourceResult.of(key, ResultCode.SYNCED, done, wave));
  }

  /** Splits {@code items} into runs of consecutive items with the same {@code by}. */
  static <T> List<List<T>> consecutive(List<T> items, Function<T, Object> by) {
    List<List<T>> runs = new ArrayList<>();
    Object last = null;
    for (T item : items) {
      Object k = by.apply(item);
      if (runs.isEmpty() || !k.equals(last)) {
        runs.add(new ArrayList<>());
        last = k;
      }
      runs.get(runs.size() - 1).add(item);
    }
    return runs;
  }

  /** PruneLast: nothing is pruned until every desired object is healthy. */
  private void awaitHealthBeforePrune(DesiredState state, Progress p) {
    gate(
        state,
        new ArrayList<>(state.objects().values()),
        state.revision() + " prune last",
        "before pruning, PruneLast",
        p);
  }

  /**
   * Prunes in the planned (reverse apply) order, the objects of one wave together, as Argo CD
   * prunes a wave's objects concurrently; a failed delete leaves the object for the next sync.
   */
  private void prune(List<PlannedPrune> prune, Progress p) {
    if (prune.isEmpty()) {
      return;
    }
    List<ObjectNode> remaining = new ArrayList<>();
    for (List<PlannedPrune> group : consecutive(prune, s -> SyncOrder.waveOrZero(s.live()))) {
      List<String> outcomes = writer.writeAll(group, this::delete);
      for (int i = 0; i < group.size(); i++) {
        PlannedPrune step = group.get(i);
        String error = outcomes.get(i);
        if (!step.deletes()) {
          remaining.add(step.live());
          p.results.add(
              ResourceResult.of(step.key(), ResultCode.PRUNE_SKIPPED, step.keptBecause().get(), 0));
        } else if (error == null) {
          p.pruned++;
          p.results.add(ResourceResult.of(step.key(), ResultCode.PRUNED, "pruned", 0));
        } else {
          remaining.add(step.live());
          if (p.failure == null) {
            p.failure = "could not prune " + step.key() + ": " + error;
          }
          p.results.add(ResourceResult.of(step.key(), ResultCode.SYNC_FAILED, error, 0));
        }
      }
    }
    p.left = remaining;
  }

  /** Deletes one object the plan prunes; its error message, null when done or kept. */
  private String delete(PlannedPrune step) {
    if (!step.deletes()) {
      return null;
    }
    try {
      applier.delete(step.key());
      return null;
    } catch (KubernetesClientException e) {
      return e.getMessage();
    }
  }

  private ReconcileResult report(DesiredState state, SyncPlan plan, Progress p) {
    SyncCounts counts = new SyncCounts(p.created, p.patched, p.unchanged, p.pruned);
    WaveState waves =
        new WaveState(
            plan.waves().stream().map(Wave::number).toList(),
            p.appliedWaves,
            Optional.ofNullable(p.waiting));
    if (p.waiting != null) {
      // Come back rather than hold this worker: the next reconcile re-reads the wave and goes on.
      return summary
          .summarise(state, p.live, p.left, p.waiting, false, p.errors)
          .withProgress(counts, p.errors, waves)
          .withSyncResults(p.results)
          .requeuedAfter(options.healthPollInterval());
    }
    boolean failed = p.failure != null;
    String message =
        failed
            ? p.failure
            : "applied "
                + state.objects().size()
                + " objects (created "
                + p.created
                + ", patched "
                + p.patched
                + ", unchanged "
                + p.unchanged
                + ")"
                + (p.pruned > 0 ? ", pruned " + p.pruned : "");
    return summary
        .summarise(state, p.live, p.left, message, failed, p.errors)
        .withProgress(counts, p.errors, waves)
        .withSyncResults(p.results);
  }

  /**
   * Deletes what an unassigned Application owns, per {@link SyncPlanner#planDeletion}; stops at the
   * first failure, so that what is left is still owned and found again next time.
   */
  ReconcileResult delete(List<ObjectNode> owned) {
    List<ResourceLine> lines = new ArrayList<>();
    int deleted = 0;
    int kept = 0;
    for (PlannedPrune step : SyncPlanner.planDeletion(owned)) {
      if (!step.deletes()) {
        kept++;
        lines.add(
            new ResourceLine(
                step.key(),
                SyncState.UNKNOWN,
                summary.health(step.live()),
                step.keptBecause().get()));
        continue;
      }
      try {
        applier.delete(step.key());
        deleted++;
      } catch (KubernetesClientException e) {
        return ReconcileResult.failure("could not delete " + step.key() + ": " + e.getMessage());
      }
    }
    String message =
        "deleted " + deleted + " objects" + (kept > 0 ? ", kept " + kept + " (Delete=false)" : "");
    return new ReconcileResult(SyncState.SYNCED, HealthState.HEALTHY, "", message, false, lines)
        .withProgress(new SyncCounts(0, 0, 0, deleted), Map.of(), WaveState.NONE);
  }

  private static ObjectApplier.Mode mode(ApplyMode mode) {
    return switch (mode) {
      case PATCH -> ObjectApplier.Mode.PATCH;
      case REPLACE -> ObjectApplier.Mode.REPLACE;
      case SERVER_SIDE -> ObjectApplier.Mode.SERVER_SIDE;
    };
  }
}
