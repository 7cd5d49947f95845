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
 * @param waveTimeout how long a sync waits for one wave to become healthy before failing (Argo
 *     waits without limit). No thread waits: the sync returns "come back after {@code
 *     healthPollInterval}" and each later reconcile looks again; the next reconcile after a failure
 *     picks up where the failed sync stopped.
 * @param healthPollInterval how soon a sync waiting for a wave's health is reconciled again
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
