package dev.flotilla.agent.reconcile.drift;

import java.time.Duration;

/**
 * How self-heal runs.
 *
 * @param threads heals running at once; each holds its thread for at most one API request timeout,
 *     so one hung object leaves the others free
 * @param retryInitial first wait before a failed heal of one object is tried again (doubling)
 * @param retryMax longest wait between tries of one object
 * @param watchResync how often every watch is restarted with a fresh list, so that a watch stalled
 *     without closing is noticed (Argo CD restarts its watches every 10 minutes)
 */
public record SelfHealSettings(
    int threads, Duration retryInitial, Duration retryMax, Duration watchResync) {

  public static final SelfHealSettings DEFAULTS =
      new SelfHealSettings(
          4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(10));

  public SelfHealSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("self-heal needs at least one thread, not " + threads);
    }
  }

  /** The wait before try {@code failures + 1} of one object: doubling from the first, capped. */
  Duration retryAfter(int failures) {
    Duration delay = retryInitial;
    for (int i = 1; i < failures && delay.compareTo(retryMax) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(retryMax) > 0 ? retryMax : delay;
  }

  public SelfHealSettings withWatchResync(Duration resync) {
    return new SelfHealSettings(threads, retryInitial, retryMax, resync);
  }

  public SelfHealSettings withThreads(int n) {
    return new SelfHealSettings(n, retryInitial, retryMax, watchResync);
  }
}
