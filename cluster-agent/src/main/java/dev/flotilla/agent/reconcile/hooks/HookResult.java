package dev.flotilla.agent.reconcile.hooks;

import dev.flotilla.agent.reconcile.plan.HookCompletion;
import dev.flotilla.agent.reconcile.plan.PlannedHook;

/**
 * What one hook of an operation has done so far.
 *
 * @param hook the hook as planned
 * @param state running (created or adopted, not finished), succeeded or failed
 * @param message the object's own word on it ("Job completed"), or why it failed
 * @param deleted true once its delete policy removed it
 */
public record HookResult(
    PlannedHook hook, HookCompletion.State state, String message, boolean deleted) {

  public boolean finished() {
    return state != HookCompletion.State.RUNNING;
  }
}
