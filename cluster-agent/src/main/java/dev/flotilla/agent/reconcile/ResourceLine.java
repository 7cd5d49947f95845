package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;

/**
 * One desired or owned object in a reconcile's result.
 *
 * @param key which object
 * @param sync whether it is live and equal to Git on the fields we set
 * @param health its health as live
 * @param message an error, why it is out of sync, or its health message; never null
 */
public record ResourceLine(ObjectKey key, SyncState sync, Health health, String message) {

  public ResourceLine {
    message = message == null ? "" : message;
  }
}
