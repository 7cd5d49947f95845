package dev.flotilla.agent.reconcile.drift;

/** Why a managed object differs from Git. */
public enum DriftKind {
  /** Live was changed away from what the agent applied (an edit, a deletion). */
  DRIFT("drift"),
  /**
   * Git moved on and the object has not been synced to it yet (no automated sync, a sync pending or
   * refused, an object not created yet, one left to prune).
   */
  PENDING_SYNC("pending-sync");

  private final String label;

  DriftKind(String label) {
    this.label = label;
  }

  /** As the report spells it. */
  public String label() {
    return label;
  }
}
