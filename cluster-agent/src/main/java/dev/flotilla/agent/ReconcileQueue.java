package dev.flotilla.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs reconciles on a worker pool, at most one at a time per Application, coalescing requests that
 * arrive while one is queued or running: the task always reads the latest assignment, so one more
 * run suffices. Keeps when work was queued, started and last finished, so that the agent can tell a
 * queue that makes progress from a wedged one ({@link #progress()}).
 *
 * <p>A reconcile that must wait (a retry backoff, a wave not yet healthy) never holds its worker:
 * it returns "come back after T" and the queue submits the Application again after T, as
 * java-operator-sdk's {@code rescheduleAfter} does. Each Application has at most one such timer;
 * the next run, whatever triggered it, replaces it with its own answer.
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
  private final ScheduledExecutorService timers;
  private final Function<String, Optional<Duration>> task;
  private final Clock clock;
  private final Map<String, Instant> queued = new HashMap<>();
  private final Map<String, Instant> running = new HashMap<>();
  private final Set<String> again = new HashSet<>();
  private final Map<String, ScheduledFuture<?>> requeues = new HashMap<>();
  private Instant lastFinishedAt;

  /** A queue whose task never asks to come back (tests of the queue itself). */
  ReconcileQueue(ExecutorService workers, Consumer<String> task) {
    this(
        workers,
        null,
        application -> {
          task.accept(application);
          return Optional.empty();
        },
        Clock.systemUTC());
  }

  /**
   * @param timers where "come back after T" waits (no worker is held meanwhile)
   * @param task reconciles one Application; returns when to reconcile it again, if ever
   */
  ReconcileQueue(
      ExecutorService workers,
      ScheduledExecutorService timers,
      Function<String, Optional<Duration>> task,
      Clock clock) {
    this.workers = workers;
    this.timers = timers;
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

  /** Applications that asked to be reconciled again later and are waiting for that time. */
  synchronized Set<String> requeued() {
    return Set.copyOf(requeues.keySet());
  }

  private void run(String application) {
    synchronized (this) {
      queued.remove(application);
      running.put(application, clock.instant());
      // This run decides anew whether and when to come back.
      ScheduledFuture<?> pending = requeues.remove(application);
      if (pending != null) {
        pending.cancel(false);
      }
    }
    Optional<Duration> after = Optional.empty();
    try {
      after = task.apply(application);
    } finally {
      synchronized (this) {
        running.remove(application);
        lastFinishedAt = clock.instant();
        if (again.remove(application)) {
          submit(application);
        } else if (after != null && after.isPresent()) {
          requeueAfter(application, after.get());
        }
      }
    }
  }

  private void requeueAfter(String application, Duration delay) {
    if (timers == null || timers.isShutdown()) {
      return;
    }
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] =
        timers.schedule(
            () -> {
              synchronized (this) {
                if (requeues.get(application) != self[0]) {
                  return; // replaced or cancelled meanwhile
                }
                requeues.remove(application);
                submit(application);
              }
            },
            Math.max(0, delay.toMillis()),
            TimeUnit.MILLISECONDS);
    requeues.put(application, self[0]);
  }
}
