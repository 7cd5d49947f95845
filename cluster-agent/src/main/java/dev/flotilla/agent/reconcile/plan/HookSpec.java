package dev.flotilla.agent.reconcile.plan;

import java.util.Set;

/**
 * What one rendered manifest is to a sync, read from its hook annotations by {@link
 * HookAnnotations}.
 *
 * @param role an ordinary resource, a hook, skipped, or a hook no sync runs
 * @param phases the phases a {@link Role#HOOK} runs in (one object may name several); empty
 *     otherwise
 * @param wave its order within each phase ({@code sync-wave}, else {@code helm.sh/hook-weight},
 *     else 0)
 * @param deletePolicies when a hook object is deleted; {@link
 *     HookDeletePolicy#BEFORE_HOOK_CREATION} when none is given
 * @param why for {@link Role#NOT_RUN}: which annotation and value, for the status line
 */
public record HookSpec(
    Role role, Set<HookPhase> phases, int wave, Set<HookDeletePolicy> deletePolicies, String why) {

  /** What a manifest is to a sync. */
  public enum Role {
    /** Applied, compared, healed and pruned as usual. */
    RESOURCE,
    /** Run in its phases; never compared, healed or pruned as a resource. */
    HOOK,
    /** {@code argocd.argoproj.io/hook: Skip}: never applied. */
    SKIP,
    /**
     * A hook for an event a sync never is (Helm's test, delete and rollback hooks; Argo CD's
     * PreDelete/PostDelete): never applied by a sync, as in Argo CD.
     */
    NOT_RUN
  }

  public HookSpec {
    phases = Set.copyOf(phases);
    deletePolicies = Set.copyOf(deletePolicies);
    why = why == null ? "" : why;
  }

  static final HookSpec RESOURCE = new HookSpec(Role.RESOURCE, Set.of(), 0, Set.of(), "");

  public boolean isHook() {
    return role == Role.HOOK;
  }
}
