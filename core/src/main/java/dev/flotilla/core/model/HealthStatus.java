package dev.flotilla.core.model;

/** Argo CD's health of an Application or resource, spelled as users read it ({@code Healthy}). */
public enum HealthStatus {
  HEALTHY("Healthy"),
  PROGRESSING("Progressing"),
  DEGRADED("Degraded"),
  SUSPENDED("Suspended"),
  MISSING("Missing"),
  UNKNOWN("Unknown");

  private final String label;

  HealthStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The health a label names; UNKNOWN for null or anything else. */
  public static HealthStatus of(String label) {
    for (HealthStatus h : values()) {
      if (h.label.equals(label)) {
        return h;
      }
    }
    return UNKNOWN;
  }
}
