package dev.flotilla.agent.reconcile.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.HealthAssessor;
import dev.flotilla.agent.reconcile.plan.HookCompletion;
import dev.flotilla.agent.reconcile.plan.HookDeletePolicy;
import dev.flotilla.agent.reconcile.plan.HookPhase;
import dev.flotilla.agent.reconcile.plan.HookPlanner;
import dev.flotilla.agent.reconcile.plan.HookWave;
import dev.flotilla.agent.reconcile.plan.PlannedHook;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs hooks against the cluster, one reconcile at a time: creates each hook of a wave that has not
 * started (deleting the previous object of its name first under BeforeHookCreation), looks at the
 * ones running, records those that finished and applies their delete policy. Never waits: a hook
 * still running, or a previous object still being deleted, makes the step {@link HookStep#waiting},
 * and the caller comes back later.
 */
public final class HookExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(HookExecutor.class);

  private final ObjectApplier applier;
  private final HealthAssessor health;

  public HookExecutor(ObjectApplier applier, HealthAssessor health) {
    this.applier = applier;
    this.health = health;
  }

  /** Runs {@code phase}'s waves in order, as far as they go in this reconcile. */
  public HookStep runPhase(HookRun run, HookPhase phase) {
    for (HookWave wave : run.plan().waves(phase)) {
      HookStep step = runWave(run, wave);
      if (!step.done()) {
        return step;
      }
    }
    return HookStep.DONE;
  }

  /** Runs the hooks of {@code phase}'s wave {@code number}, if it has any. */
  public HookStep runWave(HookRun run, HookPhase phase, int number) {
    for (HookWave wave : run.plan().waves(phase)) {
      if (wave.number() == number) {
        return runWave(run, wave);
      }
    }
    return HookStep.DONE;
  }

  private HookStep runWave(HookRun run, HookWave wave) {
    String waitingFor = null;
    String failure = null;
    for (PlannedHook hook : wave.hooks()) {
      HookStep step;
      try {
        step = advance(run, hook);
      } catch (KubernetesClientException | ObjectApplier.OwnershipConflictException e) {
        run.record(new HookResult(hook, HookCompletion.State.FAILED, e.getMessage(), false));
        step = HookStep.failed("could not run " + hook.describe() + ": " + e.getMessage());
      }
      if (step.failed() && failure == null) {
        failure = step.message();
      } else if (step.waiting() && waitingFor == null) {
        waitingFor = step.message();
      }
    }
    if (failure != null) {
      return HookStep.failed(failure);
    }
    return waitingFor == null ? HookStep.DONE : HookStep.waiting(waitingFor);
  }

  /** Moves one hook on: start it, or look whether it finished. */
  private HookStep advance(HookRun run, PlannedHook hook) {
    Optional<HookResult> known = run.result(hook);
    if (known.isPresent() && known.get().finished()) {
      return outcome(known.get());
    }
    ObjectNode live = applier.get(hook.key());
    if (known.isEmpty()) {
      if (live != null && !createdFor(hook, live)) {
        requireOurs(hook, live);
        if (hook.deletes(HookDeletePolicy.BEFORE_HOOK_CREATION)) {
          if (!live.path("metadata").has("deletionTimestamp")) {
            LOG.info("deleting the previous {} before creating it anew", hook.describe());
            applier.delete(hook.key());
          }
          live = applier.get(hook.key());
          if (live != null) {
            return HookStep.waiting(
                "waiting for the previous " + hook.describe() + " to be deleted");
          }
        }
        // Otherwise a named hook without BeforeHookCreation is created once, then only looked at.
      }
      if (live == null) {
        live =
            applier.apply(hook.desired(), null, ObjectApplier.Mode.PATCH, List.of(), false).live();
        LOG.info("created {}", hook.describe());
      }
      run.record(new HookResult(hook, HookCompletion.State.RUNNING, "created", false));
    }
    if (live == null) {
      HookResult gone =
          new HookResult(hook, HookCompletion.State.FAILED, "deleted before it finished", false);
      run.record(gone);
      return outcome(gone);
    }
    HookCompletion completion = HookCompletion.of(live, health.assess(live));
    if (!completion.finished()) {
      run.record(new HookResult(hook, HookCompletion.State.RUNNING, completion.message(), false));
      return HookStep.waiting(
          "waiting for " + hook.describe() + " to complete: " + completion.message());
    }
    boolean succeeded = completion.state() == HookCompletion.State.SUCCEEDED;
    boolean delete =
        hook.deletes(succeeded ? HookDeletePolicy.HOOK_SUCCEEDED : HookDeletePolicy.HOOK_FAILED);
    if (delete) {
      applier.delete(hook.key());
    }
    HookResult done = new HookResult(hook, completion.state(), completion.message(), delete);
    run.record(done);
    return outcome(done);
  }

  private static HookStep outcome(HookResult result) {
    return result.state() == HookCompletion.State.FAILED
        ? HookStep.failed(result.hook().describe() + " failed: " + result.message())
        : HookStep.DONE;
  }

  /** True when {@code live} is the object this operation created for this hook's phase. */
  private static boolean createdFor(PlannedHook hook, ObjectNode live) {
    String marker =
        hook.desired()
            .path("metadata")
            .path("annotations")
            .path(HookPlanner.OPERATION_ANNOTATION)
            .asText("");
    return marker.equals(
        live.path("metadata").path("annotations").path(HookPlanner.OPERATION_ANNOTATION).asText());
  }

  private static void requireOurs(PlannedHook hook, ObjectNode live) {
    String ours =
        Tracking.owner(
            hook.desired()
                .path("metadata")
                .path("annotations")
                .path(Tracking.TRACKING_ID)
                .asText());
    String theirs =
        Tracking.owner(
            live.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null));
    if (theirs != null && !theirs.equals(ours)) {
      throw new ObjectApplier.OwnershipConflictException(
          hook.key() + " is owned by application '" + theirs + "', not '" + ours + "'");
    }
  }
}
