package dev.flotilla.agent.reconcile.hooks;

import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.plan.HookPhase;
import dev.flotilla.agent.reconcile.plan.HookPlan;
import dev.flotilla.agent.reconcile.plan.PlannedHook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sync operation of one Application that has hooks, from its first reconcile to its last: the
 * stage it reached and every hook's result. Kept between reconciles (each reconcile re-plans the
 * resources and comes back), so that a hook runs once per operation and a deleted hook is still
 * known to have succeeded. Used by one reconcile at a time (the caller serialises per Application).
 */
public final class HookRun {

  /** Where an operation with hooks is. */
  public enum Stage {
    PRE_SYNC,
    SYNC,
    POST_SYNC,
    SYNC_FAIL,
    DONE
  }

  private final AppSpec app;
  private final String revision;
  private final HookPlan plan;
  private final Map<String, HookResult> results = new LinkedHashMap<>();
  private Stage stage = Stage.PRE_SYNC;
  private String failure;

  HookRun(AppSpec app, String revision, HookPlan plan) {
    this.app = app;
    this.revision = revision;
    this.plan = plan;
  }

  /** True when this operation syncs {@code otherApp} at {@code otherRevision}. */
  boolean targets(AppSpec otherApp, String otherRevision) {
    return app.equals(otherApp) && revision.equals(otherRevision);
  }

  public HookPlan plan() {
    return plan;
  }

  public Stage stage() {
    return stage;
  }

  public void advanceTo(Stage next) {
    stage = next;
  }

  /** The sync failed with {@code message}: its SyncFail hooks run next. */
  public void fail(String message) {
    failure = message;
    stage = Stage.SYNC_FAIL;
  }

  /** Why the sync failed, once it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  public boolean finished() {
    return stage == Stage.DONE;
  }

  Optional<HookResult> result(PlannedHook hook) {
    return Optional.ofNullable(results.get(id(hook)));
  }

  void record(HookResult result) {
    results.put(id(result.hook()), result);
  }

  /** Every hook started so far, in the order it started. */
  public List<HookResult> results() {
    return new ArrayList<>(results.values());
  }

  /** True when {@code phase} has hooks in this operation. */
  public boolean has(HookPhase phase) {
    return !plan.waves(phase).isEmpty();
  }

  private static String id(PlannedHook hook) {
    return hook.phase().label() + " " + hook.key();
  }
}
