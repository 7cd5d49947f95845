package dev.flotilla.controlplane.project;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The parsed policies of every AppProject, kept until they change. Every read asks the store for
 * one number (a version moved by each committed change of a project or of a cluster's name or
 * server, see migration V11) and parses the projects again only when it moved; so dispatching to
 * many agents, each resync, and each generation share one parse instead of re-reading and
 * re-parsing every project document each time. Reads that find the same version share one load; a
 * failed load is not kept.
 *
 * @param <T> the parsed form ({@link ProjectGate.Policies})
 */
public final class ProjectPolicyCache<T> {

  private final Supplier<Future<Long>> version;
  private final Supplier<Future<T>> load;
  private long cachedVersion = Long.MIN_VALUE;
  private Future<T> cached;

  /**
   * @param version the store's current version of everything {@code load} reads
   * @param load reads and parses; called again only after the version moved
   */
  public ProjectPolicyCache(Supplier<Future<Long>> version, Supplier<Future<T>> load) {
    this.version = version;
    this.load = load;
  }

  /** The policies as of now: cached when the version has not moved since they were loaded. */
  public Future<T> get() {
    return version.get().compose(this::forVersion);
  }

  private Future<T> forVersion(long current) {
    Future<T> loading;
    synchronized (this) {
      if (cached != null && cachedVersion == current) {
        return cached;
      }
      if (cached != null && cachedVersion > current) {
        // A slower reader saw an older version; the newer policies answer it just as well.
        return cached;
      }
      // Loaded after the version was read, so at least as new as it: never older than recorded.
      loading = load.get();
      cached = loading;
      cachedVersion = current;
    }
    Future<T> mine = loading;
    return mine.onFailure(
        e -> {
          synchronized (this) {
            if (cached == mine) {
              cached = null;
            }
          }
        });
  }

  /** Forgets the policies (a project was written here): the next read loads them again. */
  public synchronized void invalidate() {
    cached = null;
  }
}
