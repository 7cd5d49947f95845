package dev.flotilla.agent.reconcile.health;

/** Argo CD's health states; the protocol mapper turns them into the wire enum. */
public enum HealthState {
  HEALTHY,
  SUSPENDED,
  PROGRESSING,
  MISSING,
  DEGRADED,
  UNKNOWN;

  /** The state as users read it ("Progressing"). */
  public String label() {
    String n = name().toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
