package dev.flotilla.agent.reconcile.hooks;

import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.plan.HookPlanner;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The hook operation of each Application, kept between reconciles. As in Argo CD, hooks run when a
 * sync operation runs: an applying reconcile starts one when the Application has hooks and the
 * resources are out of sync (something to create, patch or prune) or a sync was asked for by hand;
 * an applying reconcile that finds everything in sync (a resync, self-heal with nothing to heal)
 * runs no hooks. A newer revision or spec starts a new operation; the one it supersedes is dropped.
 */
public final class HookRuns {

  private final Map<String, HookRun> runs = new ConcurrentHashMap<>();
  private final Set<String> manual = ConcurrentHashMap.newKeySet();
  private final Supplier<String> operationIds;

  public HookRuns() {
    this(() -> UUID.randomUUID().toString().substring(0, 8));
  }

  HookRuns(Supplier<String> operationIds) {
    this.operationIds = operationIds;
  }

  /** A sync of {@code application} was asked for by hand: its next sync runs its hooks. */
  public void manualSyncRequested(String application) {
    manual.add(application);
  }

  /**
   * The operation an applying reconcile of {@code state} continues or starts; empty when it runs no
   * hooks.
   *
   * @param outOfSync whether the sync has something to write or prune; asked only when it matters
   * @throws IllegalArgumentException when a hook cannot be planned (no name nor generateName)
   */
  public Optional<HookRun> runFor(DesiredState state, BooleanSupplier outOfSync) {
    String name = state.app().name();
    boolean manualSync = manual.remove(name);
    HookRun current = runs.get(name);
    if (current != null && !current.finished() && current.targets(state.app(), state.revision())) {
      return Optional.of(current);
    }
    if (state.hooks().isEmpty() || !(manualSync || outOfSync.getAsBoolean())) {
      if (current != null && !current.finished()) {
        runs.remove(name); // superseded by a target that runs no hooks
      }
      return Optional.empty();
    }
    HookRun run =
        new HookRun(
            state.app(),
            state.revision(),
            HookPlanner.plan(name, operationIds.get(), state.hooks()));
    runs.put(name, run);
    return Optional.of(run);
  }

  /** The last operation of {@code application} that ran hooks, finished or not. */
  public Optional<HookRun> last(String application) {
    return Optional.ofNullable(runs.get(application));
  }

  public void forget(String application) {
    runs.remove(application);
    manual.remove(application);
  }
}
