package dev.flotilla.agent.reconcile.drift;

/** What made a drifted object equal to Git again. */
public enum HealedBy {
  /** The reconcile the drift watcher asked for under {@code selfHeal}. */
  SELF_HEAL("self-heal"),
  /** A sync: a manual {@code app sync}, or the automated sync of what Git wants now. */
  SYNC("sync"),
  /** A periodic resync that re-applied the object. */
  RESYNC("resync"),
  /** Somebody (or something) else changed the object back. */
  MANUAL_REVERT("manual-revert"),
  /** Git changed instead: the new desired state is what is live. */
  NEW_COMMIT("new-commit");

  private final String label;

  HealedBy(String label) {
    this.label = label;
  }

  /** As the report spells it. */
  public String label() {
    return label;
  }
}
