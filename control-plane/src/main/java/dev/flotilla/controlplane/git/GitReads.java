package dev.flotilla.controlplane.git;

import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Git as of a freshness mark, for blocking code (generators) that must never wait on the network:
 * it reads only mirrors fetched since the mark, and notes any repository not fetched yet. {@link
 * #run} fetches those asynchronously (through {@link GitFetcher}, no thread waiting) and runs the
 * work again, so a generation that reads a hanging repository holds no worker while it hangs.
 */
public final class GitReads {

  /** Rounds of "fetch what was missing, run again": enough for a matrix of git generators. */
  static final int MAX_ROUNDS = 4;

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private final GitFetcher fetcher;
  private final long since;
  private final Set<String> missing = ConcurrentHashMap.newKeySet();

  GitReads(GitFetcher fetcher, long since) {
    this.fetcher = fetcher;
    this.since = since;
  }

  /** Blocking work that reads Git through a {@link GitReads}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(GitReads git) throws Exception;
  }

  /**
   * Runs {@code work} on {@code pool} against Git fetched since {@code since}: first fetches {@code
   * known} (repositories the caller knows it will read), then, after each run that found a
   * repository not yet fetched, fetches those and runs again. A failed fetch is not retried here:
   * reading that repository then fails with the fetch's error.
   */
  public static <T> Future<T> run(
      GitFetcher fetcher, WorkerExecutor pool, long since, Collection<String> known, Work<T> work) {
    return fetchAll(fetcher, known, since).compose(v -> round(fetcher, pool, since, work, 1));
  }

  private static <T> Future<T> round(
      GitFetcher fetcher, WorkerExecutor pool, long since, Work<T> work, int round) {
    GitReads reads = new GitReads(fetcher, since);
    return pool.executeBlocking(() -> work.run(reads), false)
        .compose(
            result ->
                reads.missing.isEmpty() || round >= MAX_ROUNDS
                    ? Future.succeededFuture(result)
                    : fetchAll(fetcher, reads.missing, since)
                        .compose(v -> round(fetcher, pool, since, work, round + 1)));
  }

  private static Future<Void> fetchAll(GitFetcher fetcher, Collection<String> urls, long since) {
    return Future.join(urls.stream().map(u -> fetcher.fetch(u, since)).toList())
        .<Void>mapEmpty()
        // Failures are remembered by the fetcher and reported by the read that needs the data.
        .otherwiseEmpty();
  }

  /** Resolves {@code revision} of {@code url} (a SHA the mirror has needs no fetch). */
  public String resolve(String url, String revision) throws GitInputException {
    GitRepositories git = fetcher.repositories();
    if (SHA.matcher(revision).matches() && git.hasCommit(url, revision)) {
      return revision;
    }
    requireFetched(url);
    return git.resolveLocal(url, revision);
  }

  /** The tree of {@code url} at {@code revision}, within the snapshot limits. */
  public GitTreeSnapshot snapshot(String url, String revision) throws GitInputException {
    return fetcher.repositories().snapshotLocal(url, resolve(url, revision));
  }

  private void requireFetched(String url) throws GitInputException {
    Future<Void> done = fetcher.completedSince(url, since);
    if (done == null) {
      missing.add(url);
      throw new GitInputException(url + " is being fetched; generation runs again once it is");
    }
    if (done.failed()) {
      Throwable cause = done.cause();
      throw cause instanceof GitInputException g
          ? g
          : new GitInputException("cannot fetch " + url + ": " + cause.getMessage(), cause);
    }
  }
}
