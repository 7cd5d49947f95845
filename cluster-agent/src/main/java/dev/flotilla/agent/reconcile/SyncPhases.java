package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthAssessor;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.hooks.HookExecutor;
import dev.flotilla.agent.reconcile.hooks.HookResult;
import dev.flotilla.agent.reconcile.hooks.HookRun;
import dev.flotilla.agent.reconcile.hooks.HookRuns;
import dev.flotilla.agent.reconcile.hooks.HookStep;
import dev.flotilla.agent.reconcile.plan.HookPhase;
import dev.flotilla.agent.reconcile.plan.HookWave;
import dev.flotilla.agent.reconcile.plan.SyncPlan;
import dev.flotilla.agent.reconcile.plan.Wave;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Argo CD's sync phases around the waves of {@link SyncExecutor}: PreSync hooks, then the resources
 * with the Sync hooks of each wave, then — once every resource is healthy — PostSync hooks; when
 * any of it fails, the SyncFail hooks, and the sync fails. A PreSync failure means no resource is
 * applied. Each reconcile goes as far as it can and otherwise returns "come back after the health
 * poll interval"; the operation ({@link HookRun}) remembers where it was. Without hooks to run this
 * is exactly {@link SyncExecutor#sync}.
 */
final class SyncPhases {

  private final SyncExecutor executor;
  private final HookExecutor hooks;
  private final HookRuns runs;
  private final ResultSummary summary;
  private final HealthWaits waits;
  private final ReconcilerOptions options;

  SyncPhases(
      SyncExecutor executor,
      ObjectApplier applier,
      HealthAssessor health,
      ResultSummary summary,
      HealthWaits waits,
      ReconcilerOptions options) {
    this.executor = executor;
    this.hooks = new HookExecutor(applier, health);
    this.runs = new HookRuns();
    this.summary = summary;
    this.waits = waits;
    this.options = options;
  }

  /** A manual sync: the next sync runs the hooks even when every resource is in sync. */
  void manualSyncRequested(String application) {
    runs.manualSyncRequested(application);
  }

  /** Drops what is known of {@code application}'s hook operation. */
  void forget(String application) {
    runs.forget(application);
  }

  ReconcileResult sync(DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live) {
    Optional<HookRun> found;
    try {
      found = runs.runFor(state, () -> outOfSync(state, plan, live));
    } catch (IllegalArgumentException e) {
      return summary.summarise(
          state, live, plan.orphans(), "sync refused: " + e.getMessage(), true, Map.of());
    }
    if (found.isEmpty()) {
      return executor.sync(state, plan, live);
    }
    HookRun run = found.get();
    try {
      return phases(state, plan, live, run);
    } catch (KubernetesClientException e) {
      return withHookLines(
          summary.summarise(
              state,
              live,
              plan.orphans(),
              "could not run hooks: " + e.getMessage(),
              true,
              Map.of()),
          run);
    }
  }

  private ReconcileResult phases(
      DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live, HookRun run) {
    ReconcileResult main = null;
    if (run.stage() == HookRun.Stage.PRE_SYNC) {
      HookStep pre = hooks.runPhase(run, HookPhase.PRE_SYNC);
      if (pre.waiting()) {
        return waiting(
            summary.summarise(state, live, plan.orphans(), "", false, Map.of()), pre, run);
      }
      if (pre.failed()) {
        run.fail(pre.message());
      } else {
        run.advanceTo(HookRun.Stage.SYNC);
      }
    }
    if (run.stage() == HookRun.Stage.SYNC || run.stage() == HookRun.Stage.POST_SYNC) {
      main =
          executor.sync(
              state, withHookWaves(plan, run), live, w -> hooks.runWave(run, HookPhase.SYNC, w));
      if (main.inProgress()) {
        return withHookLines(main, run);
      }
      if (main.failed()) {
        run.fail(main.message());
      } else {
        run.advanceTo(HookRun.Stage.POST_SYNC);
      }
    }
    if (run.stage() == HookRun.Stage.POST_SYNC) {
      HookStep post = postSync(state, main, run);
      if (post.waiting()) {
        return waiting(main, post, run);
      }
      if (post.failed()) {
        run.fail(post.message());
      } else {
        run.advanceTo(HookRun.Stage.DONE);
        return withHookLines(main, run);
      }
    }
    ReconcileResult base =
        main != null ? main : summary.summarise(state, live, plan.orphans(), "", true, Map.of());
    return syncFail(base, run);
  }

  /** PostSync hooks run once every resource is healthy, as in Argo CD. */
  private HookStep postSync(DesiredState state, ReconcileResult main, HookRun run) {
    if (!run.has(HookPhase.POST_SYNC)) {
      return HookStep.DONE;
    }
    if (main.health() != HealthState.HEALTHY) {
      String why = main.healthMessage().isEmpty() ? main.health().label() : main.healthMessage();
      String step = state.revision() + " PostSync";
      if (waits.expired(state.app().name(), step, options.waveTimeout())) {
        return HookStep.failed(
            "not running PostSync hooks: resources did not become healthy: " + why);
      }
      return HookStep.waiting("waiting for healthy resources before PostSync hooks: " + why);
    }
    return hooks.runPhase(run, HookPhase.POST_SYNC);
  }

  /** The sync failed: its SyncFail hooks run, then the sync ends failed. */
  private ReconcileResult syncFail(ReconcileResult base, HookRun run) {
    String failure = run.failure().orElse("sync failed");
    HookStep fail = hooks.runPhase(run, HookPhase.SYNC_FAIL);
    if (fail.waiting()) {
      // Not failed yet: a failed result would be retried before its SyncFail hooks finished.
      return withHookLines(
          outcome(base, failure + "; running SyncFail hooks: " + fail.message(), false)
              .requeuedAfter(options.healthPollInterval()),
          run);
    }
    run.advanceTo(HookRun.Stage.DONE);
    String message =
        fail.failed()
            ? failure + "; " + fail.message()
            : run.has(HookPhase.SYNC_FAIL) ? failure + " (SyncFail hooks completed)" : failure;
    return withHookLines(outcome(base, message, true), run);
  }

  private ReconcileResult waiting(ReconcileResult base, HookStep step, HookRun run) {
    return withHookLines(
        outcome(base, step.message(), false).requeuedAfter(options.healthPollInterval()), run);
  }

  /** Adds an empty wave for each Sync-hook wave without resources, so the executor stops there. */
  private static SyncPlan withHookWaves(SyncPlan plan, HookRun run) {
    List<HookWave> hookWaves = run.plan().waves(HookPhase.SYNC);
    if (hookWaves.isEmpty()) {
      return plan;
    }
    TreeMap<Integer, Wave> waves = new TreeMap<>();
    plan.waves().forEach(w -> waves.put(w.number(), w));
    hookWaves.forEach(h -> waves.putIfAbsent(h.number(), new Wave(h.number(), List.of())));
    return new SyncPlan(
        plan.decision(),
        plan.refusals(),
        new ArrayList<>(waves.values()),
        plan.prune(),
        plan.pruneLast(),
        plan.respectIgnoreDifferences(),
        plan.orphans());
  }

  /** True when the sync has something to write or prune: only then do its hooks run. */
  static boolean outOfSync(DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live) {
    if (plan.deletions() > 0) {
      return true;
    }
    for (Map.Entry<ObjectKey, ObjectNode> e : state.objects().entrySet()) {
      ObjectNode have = live.get(e.getKey());
      if (have == null
          || !ApplicationReconciler.differences(state.app(), e.getValue(), have).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static ReconcileResult outcome(ReconcileResult r, String message, boolean failed) {
    return new ReconcileResult(
        r.sync(),
        r.health(),
        r.healthMessage(),
        message,
        failed,
        r.resources(),
        r.requeueAfter(),
        r.counts(),
        r.errors(),
        r.waves(),
        r.syncResults());
  }

  /** One line per hook of the operation, with its phase and how it went. */
  private static ReconcileResult withHookLines(ReconcileResult r, HookRun run) {
    List<ResourceLine> lines = new ArrayList<>(r.resources());
    for (HookResult h : run.results()) {
      Health health =
          switch (h.state()) {
            case SUCCEEDED -> Health.healthy(h.message());
            case FAILED -> Health.degraded(h.message());
            case RUNNING -> Health.progressing(h.message());
          };
      String message = h.message() + (h.deleted() ? " (deleted by its delete policy)" : "");
      lines.add(
          new ResourceLine(
              h.hook().key(),
              SyncState.SYNCED,
              health,
              message,
              h.hook().phase().label(),
              h.state().label()));
    }
    return new ReconcileResult(
        r.sync(),
        r.health(),
        r.healthMessage(),
        r.message(),
        r.failed(),
        lines,
        r.requeueAfter(),
        r.counts(),
        r.errors(),
        r.waves(),
        r.syncResults());
  }
}
