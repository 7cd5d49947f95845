package dev.flotilla.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the agent waits before dialling the control plane again: exponential from the initial
 * delay up to the maximum, with full jitter so that agents restarted together do not reconnect in
 * lockstep. Pure apart from the jitter source, so its rule is tested without waiting.
 */
final class ReconnectBackoff {

  /** Picks a delay in [lowest, highest] milliseconds. */
  interface Jitter {
    long between(long lowest, long highest);
  }

  static final Jitter RANDOM = (lo, hi) -> ThreadLocalRandom.current().nextLong(lo, hi + 1);

  private final Duration initial;
  private final Duration max;
  private final Jitter jitter;
  private int failures;

  ReconnectBackoff(Duration initial, Duration max, Jitter jitter) {
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
  }

  /** One more failed or ended stream: the delay before the next attempt, in milliseconds. */
  synchronized long nextDelayMillis() {
    failures++;
    long cap = Math.min(max.toMillis(), initial.toMillis() * (1L << Math.min(failures - 1, 16)));
    return jitter.between(cap / 2, cap);
  }

  /** The agent holds its complete assignments again: the next failure starts from the beginning. */
  synchronized void reset() {
    failures = 0;
  }
}
