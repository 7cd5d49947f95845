package dev.flotilla.simulator.controller;

import dev.flotilla.simulator.store.StoreException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A de-duplicating work queue like client-go's: a key added while already pending is queued once; a
 * key added while it is being processed is processed again afterwards. One worker thread drains it,
 * so reconciles of one cluster never race each other; delays go through the scheduler and only add
 * the key back later, nobody sleeps. A reconcile that throws is retried with a per-key exponential
 * backoff.
 */
final class WorkQueue implements AutoCloseable {

  /** What to reconcile: the controller's name and the object's namespace and name. */
  record Key(String controller, String namespace, String name) {}

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final long BASE_BACKOFF_MS = 5;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Executor worker;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Key> handler;
  private final LinkedHashSet<Key> pending = new LinkedHashSet<>();
  private final Map<Key, Integer> failures = new HashMap<>();
  private boolean closed;
  private long failed;
  private long conflicts;
  private String lastFailure = "none";

  WorkQueue(Executor worker, ScheduledExecutorService scheduler, Consumer<Key> handler) {
    this.worker = worker;
    this.scheduler = scheduler;
    this.handler = handler;
  }

  /** Never blocks: safe from a store listener running on the writer's thread. */
  void add(Key key) {
    synchronized (this) {
      if (closed || !pending.add(key)) {
        return;
      }
    }
    try {
      worker.execute(this::processOne);
    } catch (RejectedExecutionException e) {
      // Closing: the worker is gone and so is the work.
    }
  }

  void add(String controller, String namespace, String name) {
    add(new Key(controller, namespace, name));
  }

  void addAfter(Key key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      scheduler.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  synchronized long failedCount() {
    return failed;
  }

  synchronized String lastFailure() {
    return lastFailure;
  }

  private static String describe(RuntimeException e) {
    StringBuilder s = new StringBuilder(e.toString());
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(6, frames.length); i++) {
      s.append("\n  at ").append(frames[i]);
    }
    return s.toString();
  }

  synchronized long conflictCount() {
    return conflicts;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  private void processOne() {
    Key key;
    synchronized (this) {
      Iterator<Key> it = pending.iterator();
      if (!it.hasNext()) {
        return;
      }
      key = it.next();
      it.remove();
    }
    try {
      handler.accept(key);
      synchronized (this) {
        failures.remove(key);
      }
    } catch (StoreException.Conflict e) {
      // Another writer kept winning the race for the object (StoreWriter already re-read it
      // several times): the normal lot of a controller under contention, as the API server's
      // controllers treat it — requeue (after a breath, so a livelock cannot spin) and read the
      // newest object; not a failure.
      synchronized (this) {
        conflicts++;
      }
      LOG.debug("reconcile of {} met a newer object, requeued: {}", key, e.getMessage());
      addAfter(key, Duration.ofMillis(BASE_BACKOFF_MS));
    } catch (RuntimeException e) {
      int n;
      synchronized (this) {
        n = failures.merge(key, 1, Integer::sum);
        failed++;
        lastFailure = key + ": " + describe(e);
      }
      long backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(n, 20));
      LOG.warn(
          "reconcile of {} failed (attempt {}), retrying in {} ms: {}",
          key,
          n,
          backoff,
          e.toString());
      addAfter(key, Duration.ofMillis(backoff));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    pending.clear();
  }
}
