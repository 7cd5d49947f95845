package dev.flotilla.agent.reconcile.health;

import dev.flotilla.proto.agent.v1.HealthStatus;
import java.util.List;

/** The health of one object or one Application, with why. */
public record Health(HealthStatus status, String message) {

  /** Argo CD's order, best first: an Application is as healthy as its worst object. */
  private static final List<HealthStatus> ORDER =
      List.of(
          HealthStatus.HEALTH_STATUS_HEALTHY,
          HealthStatus.HEALTH_STATUS_SUSPENDED,
          HealthStatus.HEALTH_STATUS_PROGRESSING,
          HealthStatus.HEALTH_STATUS_MISSING,
          HealthStatus.HEALTH_STATUS_DEGRADED,
          HealthStatus.HEALTH_STATUS_UNKNOWN);

  public static final Health HEALTHY = new Health(HealthStatus.HEALTH_STATUS_HEALTHY, "");
  public static final Health MISSING =
      new Health(HealthStatus.HEALTH_STATUS_MISSING, "object does not exist");

  public static Health healthy(String message) {
    return new Health(HealthStatus.HEALTH_STATUS_HEALTHY, message);
  }

  public static Health progressing(String message) {
    return new Health(HealthStatus.HEALTH_STATUS_PROGRESSING, message);
  }

  public static Health degraded(String message) {
    return new Health(HealthStatus.HEALTH_STATUS_DEGRADED, message);
  }

  public static Health suspended(String message) {
    return new Health(HealthStatus.HEALTH_STATUS_SUSPENDED, message);
  }

  public static Health unknown(String message) {
    return new Health(HealthStatus.HEALTH_STATUS_UNKNOWN, message);
  }

  public boolean isWorseThan(Health other) {
    return rank(status) > rank(other.status);
  }

  public boolean isHealthy() {
    return status == HealthStatus.HEALTH_STATUS_HEALTHY;
  }

  private static int rank(HealthStatus s) {
    int i = ORDER.indexOf(s);
    return i < 0 ? ORDER.size() : i;
  }
}
