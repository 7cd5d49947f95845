package dev.flotilla.core.model;

/** Argo CD's sync status of an Application, spelled as users read it ({@code OutOfSync}). */
public enum SyncStatus {
  SYNCED("Synced"),
  OUT_OF_SYNC("OutOfSync"),
  UNKNOWN("Unknown");

  private final String label;

  SyncStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The status a label names; UNKNOWN for null or anything else, as Argo CD reads it. */
  public static SyncStatus of(String label) {
    for (SyncStatus s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
