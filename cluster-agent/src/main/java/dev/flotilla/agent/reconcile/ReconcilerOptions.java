package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.render.RenderLimits;
import java.time.Clock;
import java.time.Duration;

/**
 * Tuning of the reconcile engine.
 *
 * @param limits size limits on what a repository may make the agent read
 * @param statuslessWorkloads how to judge a workload without any status; {@link
 *     StatuslessWorkloads#HEALTHY} only for servers that run no controllers (the mock, demos)
 * @param waveTimeout how long a sync waits for an object of a wave to become healthy before
 *     failing, unless the object sets its own {@value SyncExecutor#PROGRESS_DEADLINE} (Argo waits
 *     without limit; 10 minutes by default, as a Deployment's own progressDeadlineSeconds). No
 *     thread waits: the sync returns "come back after {@code healthPollInterval}" and each later
 *     reconcile looks again; the next reconcile after a failure picks up where the failed sync
 *     stopped.
 * @param healthPollInterval how soon a sync waiting for a wave's health is reconciled again
 * @param clock the time operations start and end, retries are due and health waits are measured
 * @param syncWriters helper threads writing the objects of one wave concurrently, shared by every
 *     sync of the reconciler (the agent sizes it from {@code --workers}); each sync's own thread
 *     writes too, so a busy pool slows a sync down to one write at a time but never stalls it
 */
public record ReconcilerOptions(
    RenderLimits limits,
    StatuslessWorkloads statuslessWorkloads,
    Duration waveTimeout,
    Duration healthPollInterval,
    Clock clock,
    int syncWriters) {

  public static final Duration DEFAULT_WAVE_TIMEOUT = Duration.ofMinutes(10);

  /** Helper threads for concurrent writes when nothing else is said (the agent's --workers). */
  public static final int DEFAULT_SYNC_WRITERS = 4;

  public ReconcilerOptions {
    if (syncWriters < 1) {
      throw new IllegalArgumentException(
          "sync writes need at least one helper thread, not " + syncWriters);
    }
  }

  public static ReconcilerOptions defaults() {
    return new ReconcilerOptions(
        RenderLimits.DEFAULT,
        StatuslessWorkloads.PROGRESSING,
        DEFAULT_WAVE_TIMEOUT,
        Duration.ofSeconds(1),
        Clock.systemUTC(),
        DEFAULT_SYNC_WRITERS);
  }

  public ReconcilerOptions withStatuslessWorkloads(StatuslessWorkloads s) {
    return new ReconcilerOptions(limits, s, waveTimeout, healthPollInterval, clock, syncWriters);
  }

  public ReconcilerOptions withWaveTimeout(Duration timeout, Duration poll) {
    return new ReconcilerOptions(limits, statuslessWorkloads, timeout, poll, clock, syncWriters);
  }

  public ReconcilerOptions withLimits(RenderLimits l) {
    return new ReconcilerOptions(
        l, statuslessWorkloads, waveTimeout, healthPollInterval, clock, syncWriters);
  }

  public ReconcilerOptions withClock(Clock c) {
    return new ReconcilerOptions(
        limits, statuslessWorkloads, waveTimeout, healthPollInterval, c, syncWriters);
  }

  public ReconcilerOptions withSyncWriters(int n) {
    return new ReconcilerOptions(
        limits, statuslessWorkloads, waveTimeout, healthPollInterval, clock, n);
  }
}
