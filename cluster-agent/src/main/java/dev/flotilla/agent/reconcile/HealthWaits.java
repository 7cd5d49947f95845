package dev.flotilla.agent.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Since when each Application's sync has been waiting at one step (a wave to become healthy,
 * PruneLast waiting for everything to be healthy). The wait itself is a requeue, not a sleep: this
 * only remembers when it began, so that a step that never becomes healthy fails after the wave
 * timeout instead of waiting for ever.
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
    long now = nanoTime.getAsLong();
    Wait wait =
        waits.compute(
            application, (k, w) -> w != null && w.step().equals(step) ? w : new Wait(step, now));
    if (now - wait.sinceNanos() > timeout.toNanos()) {
      waits.remove(application);
      return true;
    }
    return false;
  }

  /** The sync went past every wait (or ended otherwise). */
  void clear(String application) {
    waits.remove(application);
  }
}
