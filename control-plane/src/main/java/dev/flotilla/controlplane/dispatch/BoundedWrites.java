package dev.flotilla.controlplane.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Runs at most {@code limit} writes at a time, the rest in arrival order as earlier ones end. Agent
 * statuses go through one of these: after a commit every agent reports every Application at once
 * (10,000 status transactions at 1,000 agents), and in the database pool's own queue they stood in
 * front of the reads that send the next agents their assignments, so the last agent got the commit
 * only after every status before it was stored. Bounded, they leave the rest of the pool free.
 *
 * <p>The queue is not bounded here: what waits is what agents sent on their open streams, each
 * batch at most a message's size, and an agent sends again only what was acknowledged missing.
 */
final class BoundedWrites {

  private final int limit;

  /** Guarded by {@code this}. */
  private int running;

  /** Guarded by {@code this}. */
  private final Queue<Runnable> waiting = new ArrayDeque<>();

  BoundedWrites(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    this.limit = limit;
  }

  /** Starts {@code write} now if fewer than the limit run, else when its turn comes. */
  <T> Future<T> submit(Supplier<Future<T>> write) {
    Promise<T> result = Promise.promise();
    Runnable start =
        () -> {
          Future<T> f;
          try {
            f = write.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(
              ar -> {
                next();
                result.handle(ar);
              });
        };
    boolean now;
    synchronized (this) {
      now = running < limit;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result.future();
  }

  /** One write ended: the next waiting one takes its place. */
  private void next() {
    Runnable following;
    synchronized (this) {
      following = waiting.poll();
      if (following == null) {
        running--;
      }
    }
    if (following != null) {
      following.run();
    }
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
