package dev.flotilla.agent.reconcile.operation;

/** Argo CD's per-resource sync result codes. */
public enum ResultCode {
  SYNCED("Synced"),
  SYNC_FAILED("SyncFailed"),
  PRUNED("Pruned"),
  PRUNE_SKIPPED("PruneSkipped");

  private final String label;

  ResultCode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
