package dev.flotilla.agent.reconcile.drift;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs heals of single objects on a bounded pool, at most one at a time per object, coalescing
 * requests: a heal asked for while one of the same object is queued is the same heal; asked for
 * while one runs, it runs once more afterwards (the task always reads the newest state). A heal
 * that failed asks to come back after a backoff; until then further requests for that object are
 * absorbed by the waiting retry, and no thread is held meanwhile.
 *
 * @param <K> what identifies one object
 */
final class HealQueue<K> {

  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final Function<K, Optional<Duration>> task;
  private final Set<K> queued = new HashSet<>();
  private final Set<K> running = new HashSet<>();
  private final Set<K> again = new HashSet<>();
  private final Map<K, ScheduledFuture<?>> retries = new HashMap<>();

  /**
   * @param task heals one object; returns when to try again when it failed, empty when done
   */
  HealQueue(
      ExecutorService pool, ScheduledExecutorService timers, Function<K, Optional<Duration>> task) {
    this.pool = pool;
    this.timers = timers;
    this.task = task;
  }

  synchronized void submit(K key) {
    if (pool.isShutdown() || retries.containsKey(key)) {
      return;
    }
    if (running.contains(key)) {
      again.add(key);
    } else if (queued.add(key)) {
      pool.execute(() -> run(key));
    }
  }

  /** Objects waiting for a retry of a failed heal. */
  synchronized Set<K> retrying() {
    return Set.copyOf(retries.keySet());
  }

  /** Objects queued or being healed now. */
  synchronized Set<K> busy() {
    Set<K> out = new HashSet<>(queued);
    out.addAll(running);
    return out;
  }

  private void run(K key) {
    synchronized (this) {
      queued.remove(key);
      running.add(key);
    }
    Optional<Duration> after = Optional.empty();
    try {
      after = task.apply(key);
    } finally {
      synchronized (this) {
        running.remove(key);
        boolean more = again.remove(key);
        if (after != null && after.isPresent()) {
          retryAfter(key, after.get());
        } else if (more) {
          submit(key);
        }
      }
    }
  }

  private void retryAfter(K key, Duration delay) {
    if (timers.isShutdown()) {
      return;
    }
    retries.put(
        key,
        timers.schedule(
            () -> {
              synchronized (this) {
                retries.remove(key);
                submit(key);
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS));
  }
}
