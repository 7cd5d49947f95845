package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.hooks.HookStep;

/**
 * The Sync-phase hooks of each wave, run by {@link SyncExecutor} once the wave's resources are
 * applied: the next wave waits until they completed, and a failed one fails the sync.
 */
@FunctionalInterface
interface WaveHooks {

  WaveHooks NONE = wave -> HookStep.DONE;

  /** Runs (or looks at) the Sync hooks of {@code wave}, as far as they go in this reconcile. */
  HookStep run(int wave);
}
