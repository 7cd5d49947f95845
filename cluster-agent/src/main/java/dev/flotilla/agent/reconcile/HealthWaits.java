package dev.flotilla.agent.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Since when each Application's sync has been waiting at one step (a wave to become healthy,
 * PruneLast waiting for everything to be healthy). The wait itself is a requeue, not a sleep: this
 * only remembers when it began, so that a step that never becomes healthy fails after its deadline
 * instead of waiting for ever, and so that the status can say how long it has waited.
 */
final class HealthWaits {

  private record Wait(String step, long sinceNanos) {}

  private final Map<String, Wait> waits = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  HealthWaits() {
    this(System::nanoTime);
  }

  HealthWaits(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Records that {@code application} waits at {@code step} (from now, unless it already waited
   * there) and says whether it has waited longer than {@code timeout}; an expired wait is
   * forgotten, so the next sync waits afresh.
   */
  boolean expired(String application, String step, Duration timeout) {
    if (waited(application, step).compareTo(timeout) > 0) {
      waits.remove(application);
      return true;
    }
    return false;
  }

  /**
   * Records that {@code application} waits at {@code step} (from now, unless it already waited
   * there) and says for how long it has waited there.
   */
  Duration waited(String application, String step) {
    long now = nanoTime.getAsLong();
    Wait wait =
        waits.compute(
            application, (k, w) -> w != null && w.step().equals(step) ? w : new Wait(step, now));
    return Duration.ofNanos(now - wait.sinceNanos());
  }

  /** The sync went past every wait (or ended otherwise). */
  void clear(String application) {
    waits.remove(application);
  }
}
