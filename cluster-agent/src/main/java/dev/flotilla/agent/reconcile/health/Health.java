package dev.flotilla.agent.reconcile.health;

import java.util.List;

/** The health of one object or one Application, with why. */
public record Health(HealthState status, String message) {

  /** Argo CD's order, best first: an Application is as healthy as its worst object. */
  private static final List<HealthState> ORDER =
      List.of(
          HealthState.HEALTHY,
          HealthState.SUSPENDED,
          HealthState.PROGRESSING,
          HealthState.MISSING,
          HealthState.DEGRADED,
          HealthState.UNKNOWN);

  public static final Health HEALTHY = new Health(HealthState.HEALTHY, "");
  public static final Health MISSING = new Health(HealthState.MISSING, "object does not exist");

  public static Health healthy(String message) {
    return new Health(HealthState.HEALTHY, message);
  }

  public static Health progressing(String message) {
    return new Health(HealthState.PROGRESSING, message);
  }

  public static Health degraded(String message) {
    return new Health(HealthState.DEGRADED, message);
  }

  public static Health suspended(String message) {
    return new Health(HealthState.SUSPENDED, message);
  }

  public static Health unknown(String message) {
    return new Health(HealthState.UNKNOWN, message);
  }

  public boolean isWorseThan(Health other) {
    return rank(status) > rank(other.status);
  }

  public boolean isHealthy() {
    return status == HealthState.HEALTHY;
  }

  private static int rank(HealthState s) {
    int i = ORDER.indexOf(s);
    return i < 0 ? ORDER.size() : i;
  }
}
