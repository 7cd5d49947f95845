package dev.flotilla.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs reconciles on a worker pool, at most one at a time per Application, coalescing requests that
 * arrive while one is queued or running: the task always reads the latest assignment, so one more
 * run suffices. Keeps when work was queued, started and last finished, so that the agent can tell a
 * queue that makes progress from a wedged one ({@link #progress()}).
 */
final class ReconcileQueue {

  /**
   * How the queue is doing.
   *
   * @param queued Applications waiting for a worker (or for their running reconcile to end)
   * @param oldestQueuedAt when the longest-waiting of them was queued; empty when none waits
   * @param running Applications being reconciled now, with when each started
   * @param lastFinishedAt when the last reconcile ended (either way); empty when none has
   */
  record Progress(
      int queued,
      Optional<Instant> oldestQueuedAt,
      Map<String, Instant> running,
      Optional<Instant> lastFinishedAt) {}

  private final ExecutorService workers;
  private final Consumer<String> task;
  private final Clock clock;
  private final Map<String, Instant> queued = new HashMap<>();
  private final Map<String, Instant> running = new HashMap<>();
  private final Set<String> again = new HashSet<>();
  private Instant lastFinishedAt;

  ReconcileQueue(ExecutorService workers, Consumer<String> task) {
    this(workers, task, Clock.systemUTC());
  }

  ReconcileQueue(ExecutorService workers, Consumer<String> task, Clock clock) {
    this.workers = workers;
    this.task = task;
    this.clock = clock;
  }

  synchronized void submit(String application) {
    if (running.containsKey(application)) {
      again.add(application);
    } else if (queued.putIfAbsent(application, clock.instant()) == null) {
      workers.execute(() -> run(application));
    }
  }

  synchronized Progress progress() {
    Optional<Instant> oldest = queued.values().stream().min(Instant::compareTo);
    return new Progress(
        queued.size() + again.size(),
        oldest,
        Map.copyOf(running),
        Optional.ofNullable(lastFinishedAt));
  }

  private void run(String application) {
    synchronized (this) {
      queued.remove(application);
      running.put(application, clock.instant());
    }
    try {
      task.accept(application);
    } finally {
      synchronized (this) {
        running.remove(application);
        lastFinishedAt = clock.instant();
        if (again.remove(application)) {
          submit(application);
        }
      }
    }
  }
}
