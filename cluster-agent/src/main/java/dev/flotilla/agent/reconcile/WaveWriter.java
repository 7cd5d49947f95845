package dev.flotilla.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Carries out the writes of one step of a sync (the objects of one kind in a wave, the prunes of
 * one wave) concurrently, as Argo CD's sync runs the tasks of a wave, so that one object whose API
 * call hangs until its request timeout never delays the others.
 *
 * <p>The helper threads come from one bounded pool shared by every sync of the agent; the thread of
 * the sync writes too, taking the next object like any helper. So a pool busy with other syncs
 * never stalls a sync (it then writes its objects itself, one after another), no helper is ever
 * queued behind another, and nothing waits for a thread. The sync's thread waits only for writes
 * already running, each bounded by the API request timeout.
 */
final class WaveWriter {

  private final ThreadPoolExecutor helpers;
  private final int threads;

  /**
   * @param threads helper threads at most, shared by every sync; idle ones end after a while
   */
  WaveWriter(int threads) {
    this(threads, Duration.ofSeconds(30));
  }

  /**
   * @param keepAlive how long an idle helper thread lives on
   */
  WaveWriter(int threads, Duration keepAlive) {
    if (threads < 1) {
      throw new IllegalArgumentException("sync writes need at least one thread, not " + threads);
    }
    this.threads = threads;
    // No queue: a helper starts at once on a free thread or not at all (the sync's thread then
    // writes that object itself).
    this.helpers =
        new ThreadPoolExecutor(
            0,
            threads,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            daemon("sync-write"),
            new ThreadPoolExecutor.DiscardPolicy());
  }

  /**
   * Applies {@code write} to every item, concurrently, and returns the results in the items' order.
   * {@code write} reports failures in its result; should it throw anyway, the first such exception
   * is rethrown here once every other write has ended.
   *
   * @throws KubernetesClientException when the calling thread is interrupted (the agent stops): the
   *     items not started yet are not written
   */
  <T, R> List<R> writeAll(List<T> items, Function<T, R> write) {
    int n = items.size();
    AtomicReferenceArray<R> results = new AtomicReferenceArray<>(n);
    AtomicReferenceArray<RuntimeException> thrown = new AtomicReferenceArray<>(n);
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    Runnable drain =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
              results.set(i, write.apply(items.get(i)));
            } catch (RuntimeException e) {
              thrown.set(i, e);
            } finally {
              done.countDown();
            }
          }
        };
    for (int h = 0; h < Math.min(n - 1, threads); h++) {
      helpers.execute(drain);
    }
    drain.run();
    try {
      done.await();
    } catch (InterruptedException e) {
      int claimed = Math.min(next.getAndSet(n), n);
      Thread.currentThread().interrupt();
      throw new KubernetesClientException(
          "interrupted while writing (the agent is stopping); "
              + (n - claimed)
              + " of "
              + n
              + " objects not written");
    }
    List<R> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (thrown.get(i) != null) {
        throw thrown.get(i);
      }
      out.add(results.get(i));
    }
    return out;
  }

  /** Helper threads alive now (idle ones included); at most the pool's size. */
  int helperThreads() {
    return helpers.getPoolSize();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
