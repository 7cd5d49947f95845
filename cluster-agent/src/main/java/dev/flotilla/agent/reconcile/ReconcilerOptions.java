package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.agent.reconcile.render.RenderLimits;
import java.time.Duration;

/**
 * Tuning of the reconcile engine.
 *
 * @param limits size limits on what a repository may make the agent read
 * @param statuslessWorkloads how to judge a workload without any status; {@link
 *     StatuslessWorkloads#HEALTHY} only for servers that run no controllers (the mock, demos)
 * @param waveTimeout how long a sync waits for one wave to become healthy before failing; the
 *     calling worker is blocked meanwhile, so it is bounded (Argo waits without limit, but its sync
 *     is asynchronous). The next reconcile picks up where the failed sync stopped.
 * @param healthPollInterval how often a waiting sync re-reads the wave's objects
 */
public record ReconcilerOptions(
    RenderLimits limits,
    StatuslessWorkloads statuslessWorkloads,
    Duration waveTimeout,
    Duration healthPollInterval) {

  public static ReconcilerOptions defaults() {
    return new ReconcilerOptions(
        RenderLimits.DEFAULT,
        StatuslessWorkloads.PROGRESSING,
        Duration.ofMinutes(2),
        Duration.ofSeconds(1));
  }

  public ReconcilerOptions withStatuslessWorkloads(StatuslessWorkloads s) {
    return new ReconcilerOptions(limits, s, waveTimeout, healthPollInterval);
  }

  public ReconcilerOptions withWaveTimeout(Duration timeout, Duration poll) {
    return new ReconcilerOptions(limits, statuslessWorkloads, timeout, poll);
  }

  public ReconcilerOptions withLimits(RenderLimits l) {
    return new ReconcilerOptions(l, statuslessWorkloads, waveTimeout, healthPollInterval);
  }
}
