package dev.flotilla.agent.reconcile;

/** Whether live equals Git, for one object or a whole Application. */
public enum SyncState {
  SYNCED,
  OUT_OF_SYNC,
  /** Not known: the render or the read of the cluster failed. */
  UNKNOWN
}
