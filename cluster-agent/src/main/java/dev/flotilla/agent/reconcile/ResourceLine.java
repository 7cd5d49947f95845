package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;

/**
 * One desired or owned object in a reconcile's result.
 *
 * @param key which object
 * @param sync whether it is live and equal to Git on the fields we set (a hook is never OutOfSync)
 * @param health its health as live
 * @param message an error, why it is out of sync, or its health message; never null
 * @param syncPhase for a hook, the phase it ran in (PreSync, Sync, PostSync, SyncFail); empty for a
 *     resource
 * @param hookPhase for a hook, Argo CD's hookPhase: Running, Succeeded or Failed; empty for a
 *     resource
 */
public record ResourceLine(
    ObjectKey key,
    SyncState sync,
    Health health,
    String message,
    String syncPhase,
    String hookPhase) {

  public ResourceLine {
    message = message == null ? "" : message;
    syncPhase = syncPhase == null ? "" : syncPhase;
    hookPhase = hookPhase == null ? "" : hookPhase;
  }

  /** A line for a resource (not a hook). */
  public ResourceLine(ObjectKey key, SyncState sync, Health health, String message) {
    this(key, sync, health, message, "", "");
  }

  public boolean isHook() {
    return !hookPhase.isEmpty();
  }
}
