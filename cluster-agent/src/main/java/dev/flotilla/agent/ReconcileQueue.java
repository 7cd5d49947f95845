package dev.flotilla.agent;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs reconciles on a worker pool, at most one at a time per Application, coalescing requests that
 * arrive while one is queued or running: the task always reads the latest assignment, so one more
 * run suffices.
 */
final class ReconcileQueue {

  private final ExecutorService workers;
  private final Consumer<String> task;
  private final Set<String> queued = new HashSet<>();
  private final Set<String> running = new HashSet<>();
  private final Set<String> again = new HashSet<>();

  ReconcileQueue(ExecutorService workers, Consumer<String> task) {
    this.workers = workers;
    this.task = task;
  }

  synchronized void submit(String application) {
    if (running.contains(application)) {
      again.add(application);
    } else if (queued.add(application)) {
      workers.execute(() -> run(application));
    }
  }

  private void run(String application) {
    synchronized (this) {
      queued.remove(application);
      running.add(application);
    }
    try {
      task.accept(application);
    } finally {
      synchronized (this) {
        running.remove(application);
        if (again.remove(application)) {
          submit(application);
        }
      }
    }
  }
}
