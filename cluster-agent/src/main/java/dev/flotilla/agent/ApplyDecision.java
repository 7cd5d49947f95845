package dev.flotilla.agent;

/**
 * Whether a reconcile writes to the cluster or only compares, decided from the Application's sync
 * policy and what the agent applied last. As in Argo CD: automated sync applies each new target
 * (generation and commit) once; only selfHeal re-applies after someone changed the cluster by hand;
 * a manual sync always applies. A closed sync window holds automated sync back (new revisions and
 * self-heal alike); the control plane only sends a manual sync that the windows let through.
 *
 * @param apply write to the cluster; otherwise only compare and report
 * @param windowClosed automated sync was held back by a sync window (the status says so)
 */
record ApplyDecision(boolean apply, boolean windowClosed) {

  /**
   * @param automated the Application has {@code syncPolicy.automated}
   * @param selfHeal {@code syncPolicy.automated.selfHeal}
   * @param autoSyncBlocked the control plane says a sync window is closed now
   * @param manualSync a manual sync was requested for this reconcile
   * @param target the generation and commit this reconcile would apply ({@code generation@sha})
   * @param lastApplied the target last applied successfully; null when none
   */
  static ApplyDecision decide(
      boolean automated,
      boolean selfHeal,
      boolean autoSyncBlocked,
      boolean manualSync,
      String target,
      String lastApplied) {
    boolean windowClosed = autoSyncBlocked && automated;
    boolean apply =
        manualSync || (automated && !windowClosed && (selfHeal || !target.equals(lastApplied)));
    return new ApplyDecision(apply, windowClosed);
  }
}
