package dev.flotilla.agent;

import dev.flotilla.core.time.Durations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.time.Duration;

/**
 * How long the agent waits for its cluster's API server. Every call has a deadline: one hung
 * request (a slow or wedged API server, a proxy that never answers) costs at most {@code request},
 * after which the heal or reconcile that made it is requeued; it never holds the agent.
 *
 * @param connect to open a connection ({@code --kube-connect-timeout})
 * @param request for one request to be answered in full ({@code --kube-request-timeout}); watches
 *     are long-lived and exempt, see {@code watchResync}
 * @param watchResync how often every watch is restarted with a fresh list ({@code
 *     --kube-watch-resync}), as Argo CD restarts its watches every 10 minutes: a watch that stalls
 *     silently (an open connection that delivers nothing) is noticed within this long
 */
public record KubeApiTimeouts(Duration connect, Duration request, Duration watchResync) {

  /** Connect 10 s, request 30 s, watch resync 10 min. */
  public static final KubeApiTimeouts DEFAULTS =
      new KubeApiTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(10));

  /**
   * @throws IllegalArgumentException naming the flag when a value is missing or not positive
   */
  public KubeApiTimeouts {
    requirePositive("--kube-connect-timeout", connect);
    requirePositive("--kube-request-timeout", request);
    requirePositive("--kube-watch-resync", watchResync);
  }

  private static void requirePositive(String flag, Duration value) {
    if (value == null || value.toMillis() < 1) {
      throw new IllegalArgumentException(
          flag
              + " must be a positive duration (e.g. 30s), not "
              + (value == null ? null : Durations.format(value)));
    }
  }

  /**
   * {@code config} with these deadlines. The client's own retry of failed requests is turned off:
   * it retries timeouts too, which would multiply the deadline by its retry count; the agent
   * retries on its own schedule instead (a heal requeues its object, a reconcile its Application).
   */
  public Config applyTo(Config config) {
    return new ConfigBuilder(config)
        .withConnectionTimeout(Math.toIntExact(connect.toMillis()))
        .withRequestTimeout(Math.toIntExact(request.toMillis()))
        .withRequestRetryBackoffLimit(0)
        .build();
  }
}
