package dev.flotilla.agent.reconcile;

import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.util.List;

/**
 * The outcome of reconciling (or only comparing) one Application against its cluster.
 *
 * @param sync Synced when every desired object is live and equal on the fields we set
 * @param health worst health of the Application's objects
 * @param healthMessage why, for anything but Healthy
 * @param message short summary of what was done ("applied 3 objects, pruned 1") or of the error
 * @param failed true when rendering or applying failed; nothing already deployed was deleted then
 * @param resources one line per desired or owned object
 */
public record ReconcileResult(
    SyncStatus sync,
    HealthStatus health,
    String healthMessage,
    String message,
    boolean failed,
    List<ResourceStatus> resources) {

  public ReconcileResult {
    resources = List.copyOf(resources);
  }
}
