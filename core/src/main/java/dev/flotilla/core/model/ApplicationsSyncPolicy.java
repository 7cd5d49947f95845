package dev.flotilla.core.model;

import java.util.Optional;

/**
 * Argo CD's ApplicationSet {@code syncPolicy.applicationsSync}: what a generation may do to the
 * Applications it produced before.
 */
public enum ApplicationsSyncPolicy {
  CREATE_ONLY("create-only", false, false),
  CREATE_UPDATE("create-update", true, false),
  CREATE_DELETE("create-delete", false, true),
  SYNC("sync", true, true);

  private final String label;
  private final boolean updates;
  private final boolean deletes;

  ApplicationsSyncPolicy(String label, boolean updates, boolean deletes) {
    this.label = label;
    this.updates = updates;
    this.deletes = deletes;
  }

  /** The policy as written in YAML ({@code create-only}). */
  public String label() {
    return label;
  }

  public boolean allowsUpdate() {
    return updates;
  }

  public boolean allowsDelete() {
    return deletes;
  }

  /** The policy a label names, empty for anything else. */
  public static Optional<ApplicationsSyncPolicy> of(String label) {
    for (ApplicationsSyncPolicy p : values()) {
      if (p.label.equals(label)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
