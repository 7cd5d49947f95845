package dev.flotilla.agent.reconcile.plan;

/**
 * When a hook object is deleted ({@code argocd.argoproj.io/hook-delete-policy}, or Helm's {@code
 * helm.sh/hook-delete-policy}); several may apply. None given means {@link #BEFORE_HOOK_CREATION},
 * as in Argo CD.
 */
public enum HookDeletePolicy {
  /** The previous hook object of that name is deleted before the new one is created. */
  BEFORE_HOOK_CREATION("BeforeHookCreation", "before-hook-creation"),
  /** Deleted once it succeeded (a Job Complete, a Pod Succeeded, another kind Healthy). */
  HOOK_SUCCEEDED("HookSucceeded", "hook-succeeded"),
  /** Deleted once it failed. */
  HOOK_FAILED("HookFailed", "hook-failed");

  private final String argoName;
  private final String helmName;

  HookDeletePolicy(String argoName, String helmName) {
    this.argoName = argoName;
    this.helmName = helmName;
  }

  public String argoName() {
    return argoName;
  }

  public String helmName() {
    return helmName;
  }
}
