package dev.flotilla.agent;

import java.time.Duration;

/**
 * How the agent reports on itself.
 *
 * @param heartbeatInterval how often a heartbeat (with the agent's health) goes up; the control
 *     plane marks the agent silent after three intervals without a message
 * @param slowReconcile a reconcile running this long makes the agent Degraded
 * @param wedgedAfter work outstanding this long with no reconcile finishing makes the agent Wedged
 * @param memoryPressure fraction of the maximum heap still in use after a collection above which
 *     the agent is Degraded
 */
public record HealthSettings(
    Duration heartbeatInterval,
    Duration slowReconcile,
    Duration wedgedAfter,
    double memoryPressure) {

  /** A heartbeat every 10 s; Degraded after 2 min on one reconcile, Wedged after 5 min stuck. */
  public static final HealthSettings DEFAULTS =
      new HealthSettings(Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(5), 0.9);

  public HealthSettings {
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive");
    }
  }

  /** The same with another heartbeat interval. */
  public HealthSettings withHeartbeatInterval(Duration interval) {
    return new HealthSettings(interval, slowReconcile, wedgedAfter, memoryPressure);
  }

  /** The same with other thresholds for a slow and a wedged reconcile queue. */
  public HealthSettings withThresholds(Duration slow, Duration wedged) {
    return new HealthSettings(heartbeatInterval, slow, wedged, memoryPressure);
  }
}
