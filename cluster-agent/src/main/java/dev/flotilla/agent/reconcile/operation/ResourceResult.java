package dev.flotilla.agent.reconcile.operation;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Objects;

/**
 * What one sync operation did to one object (Argo CD's {@code syncResult.resources[]}).
 *
 * @param key which object
 * @param status Synced, SyncFailed, Pruned or PruneSkipped
 * @param message "created", "configured", "unchanged", "pruned", or the error; never null
 * @param hookPhase the hook's phase for a resource hook; empty for ordinary objects
 * @param wave the sync wave it was applied in
 */
public record ResourceResult(
    ObjectKey key, ResultCode status, String message, String hookPhase, int wave) {

  public ResourceResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
    hookPhase = hookPhase == null ? "" : hookPhase;
  }

  public static ResourceResult of(ObjectKey key, ResultCode status, String message, int wave) {
    return new ResourceResult(key, status, message, "", wave);
  }
}
