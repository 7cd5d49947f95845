package dev.flotilla.agent.reconcile.plan;

import java.util.Optional;

/**
 * The sync phases a resource hook can run in, named as in Argo CD's {@code argocd.argoproj.io/hook}
 * annotation, in the order a sync passes through them (SyncFail only when the sync fails).
 */
public enum HookPhase {
  PRE_SYNC("PreSync"),
  SYNC("Sync"),
  POST_SYNC("PostSync"),
  SYNC_FAIL("SyncFail");

  private final String label;

  HookPhase(String label) {
    this.label = label;
  }

  /** The annotation's spelling ("PreSync"), also shown in statuses. */
  public String label() {
    return label;
  }

  /** The phase with the annotation's spelling {@code text} (case-sensitive, as Argo CD's). */
  public static Optional<HookPhase> fromLabel(String text) {
    for (HookPhase p : values()) {
      if (p.label.equals(text)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
