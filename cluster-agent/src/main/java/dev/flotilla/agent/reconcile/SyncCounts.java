package dev.flotilla.agent.reconcile;

/**
 * What one sync wrote, object by object: tests and reports count these rather than parse the
 * message.
 */
public record SyncCounts(int created, int patched, int unchanged, int pruned) {

  public static final SyncCounts NONE = new SyncCounts(0, 0, 0, 0);

  /** Objects applied in this sync, whatever the outcome. */
  public int applied() {
    return created + patched + unchanged;
  }
}
