package dev.flotilla.controlplane.git;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Fetches repositories without ever making a caller wait on a thread: at most one fetch runs per
 * URL, fetches of different URLs run side by side on their own worker pool (so a repository whose
 * server hangs holds one thread until its timeout and nothing else), and callers that need data
 * newer than the running fetch are served by exactly one follow-up fetch, never dropped.
 *
 * <p>Freshness is expressed as a {@link #now()} mark: {@code fetch(url, since)} completes once a
 * fetch of {@code url} that started at or after {@code since} has ended.
 */
public final class GitFetcher {

  private final WorkerExecutor pool;
  private final GitRepositories git;
  private final BiConsumer<String, Throwable> onFetched;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  /** Per URL; guarded by its own monitor, held only for bookkeeping, never during I/O. */
  private static final class State {
    Future<Void> running;
    long runningSince;
    Promise<Void> next;
    Future<Void> done;
    long doneSince;
  }

  public GitFetcher(WorkerExecutor pool, GitRepositories git) {
    this(pool, git, (url, error) -> {});
  }

  /**
   * @param onFetched told after each fetch ends: the URL and the failure, or null when it worked
   *     (e.g. to record a repository's connection state)
   */
  public GitFetcher(
      WorkerExecutor pool, GitRepositories git, BiConsumer<String, Throwable> onFetched) {
    this.pool = pool;
    this.git = git;
    this.onFetched = onFetched;
  }

  public GitRepositories repositories() {
    return git;
  }

  /** A freshness mark: data fetched from now on satisfies it. */
  public static long now() {
    return System.nanoTime();
  }

  /**
   * Completes when a fetch of {@code url} that started at or after {@code since} has ended; fails
   * with that fetch's {@link dev.flotilla.generators.GitInputException}.
   */
  public Future<Void> fetch(String url, long since) {
    State s = states.computeIfAbsent(url, u -> new State());
    synchronized (s) {
      if (s.done != null && s.doneSince - since >= 0) {
        return s.done;
      }
      if (s.running != null) {
        if (s.runningSince - since >= 0) {
          return s.running;
        }
        // The running fetch may have read the server before the change the caller wants to see.
        if (s.next == null) {
          s.next = Promise.promise();
        }
        return s.next.future();
      }
      return start(url, s);
    }
  }

  /**
   * The outcome of the last fetch of {@code url} if it started at or after {@code since}, else null
   * (a fetch is needed first). For code already on a worker that must not wait.
   */
  public Future<Void> completedSince(String url, long since) {
    State s = states.get(url);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      return s.done != null && s.doneSince - since >= 0 ? s.done : null;
    }
  }

  private Future<Void> start(String url, State s) {
    long started = now();
    Future<Void> f =
        pool.executeBlocking(
            () -> {
              git.fetch(url);
              return null;
            },
            false);
    s.running = f;
    s.runningSince = started;
    f.onComplete(
        ar -> {
          onFetched.accept(url, ar.failed() ? ar.cause() : null);
          synchronized (s) {
            s.done = f;
            s.doneSince = started;
            s.running = null;
            Promise<Void> next = s.next;
            s.next = null;
            if (next != null) {
              start(url, s).onComplete(next);
            }
          }
        });
    return f;
  }
}
