package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationStatusRepository.Report;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the statuses of every agent in batches, at most {@code limit} batch transactions at a
 * time, each of whatever queued up while the ones before were in flight (at most {@code cap}): no
 * timer, so a lone status is written at once, while after a commit, when every agent reports every
 * Application at once, hundreds of statuses share one transaction instead of taking one each.
 *
 * <p>Bounded because in the database pool's own queue the status writes stood in front of the reads
 * that send the next agents their assignments (BENCHMARKS.md, "Fleet scale"); the rest of the pool
 * stays free for authentication, snapshots and resyncs.
 *
 * <p>A batch holds at most one status per Application; a later one waits for the next batch, so
 * reports of one Application are written in the order they came. If a batch fails, its statuses are
 * written again one by one: one status the database refuses must not deny the others their
 * acknowledgement each time the agents send them again, and a batch lost to a passing fault (a
 * deadlock, a dropped connection) gets a second chance. Each that fails alone fails its future, so
 * it is not acknowledged and its agent sends it again.
 *
 * <p>The queue is not bounded here: what waits is what agents sent on their open streams, each
 * batch at most a message's size, and an agent sends again only what was acknowledged missing.
 */
final class StatusBatches {

  private static final Logger LOG = LoggerFactory.getLogger(StatusBatches.class);

  private record Queued(Report report, Promise<Boolean> stored) {}

  private final int limit;
  private final int cap;
  private final Function<List<Report>, Future<List<Boolean>>> write;

  /** Guarded by {@code this}. */
  private int running;

  /** Guarded by {@code this}. */
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();

  /**
   * @param write stores a batch of statuses of distinct Applications in one transaction; says for
   *     each, in order, whether it was stored
   */
  StatusBatches(int limit, int cap, Function<List<Report>, Future<List<Boolean>>> write) {
    if (limit < 1 || cap < 1) {
      throw new IllegalArgumentException(
          "limit and cap must be at least 1, not " + limit + " and " + cap);
    }
    this.limit = limit;
    this.cap = cap;
    this.write = write;
  }

  /** Queues {@code reports}; each future says whether its status was stored. */
  List<Future<Boolean>> submit(List<Report> reports) {
    List<Future<Boolean>> stored = new ArrayList<>(reports.size());
    synchronized (this) {
      for (Report r : reports) {
        Promise<Boolean> p = Promise.promise();
        queued.add(new Queued(r, p));
        stored.add(p.future());
      }
    }
    drain();
    return stored;
  }

  /** Starts a batch of what is queued while fewer than the limit are in flight. */
  private void drain() {
    while (true) {
      List<Queued> batch;
      synchronized (this) {
        if (running >= limit || queued.isEmpty()) {
          return;
        }
        running++;
        batch = take();
      }
      write(batch).onComplete(done -> ended());
    }
  }

  /** The oldest queued statuses, at most {@link #cap}, no Application twice. */
  private List<Queued> take() {
    List<Queued> batch = new ArrayList<>(Math.min(cap, queued.size()));
    Set<String> applications = new HashSet<>();
    for (Iterator<Queued> it = queued.iterator(); it.hasNext() && batch.size() < cap; ) {
      Queued q = it.next();
      if (applications.add(q.report().status().getApplication())) {
        batch.add(q);
        it.remove();
      }
    }
    return batch;
  }

  private void ended() {
    synchronized (this) {
      running--;
    }
    drain();
  }

  /** Writes the batch, and on failure each of its statuses alone, one after the other. */
  private Future<Void> write(List<Queued> batch) {
    return attempt(batch)
        .compose(
            stored -> {
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored().complete(stored.get(i));
              }
              return Future.<Void>succeededFuture();
            },
            failed -> {
              if (batch.size() == 1) {
                batch.get(0).stored().fail(failed);
                return Future.succeededFuture();
              }
              LOG.warn(
                  "cannot store {} statuses at once; storing each alone", batch.size(), failed);
              Future<Void> alone = Future.succeededFuture();
              for (Queued q : batch) {
                alone =
                    alone.compose(
                        v ->
                            attempt(List.of(q))
                                .onComplete(
                                    ar -> {
                                      if (ar.succeeded()) {
                                        q.stored().complete(ar.result().get(0));
                                      } else {
                                        q.stored().fail(ar.cause());
                                      }
                                    })
                                .<Void>mapEmpty()
                                .recover(e -> Future.succeededFuture()));
              }
              return alone;
            });
  }

  private Future<List<Boolean>> attempt(List<Queued> batch) {
    List<Report> reports = new ArrayList<>(batch.size());
    batch.forEach(q -> reports.add(q.report()));
    try {
      return write
          .apply(reports)
          .compose(
              stored ->
                  stored.size() == reports.size()
                      ? Future.succeededFuture(stored)
                      : Future.failedFuture(
                          new IllegalStateException(
                              stored.size() + " results for " + reports.size() + " statuses")));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  synchronized int queued() {
    return queued.size();
  }
}
