package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Mirrors kept open between calls, at most {@code capacity}, least recently used closed first.
 * Opening a JGit repository reads its config and, at the first object read, scans its pack
 * directory and loads the pack indexes; closing it drops all that. Every reconcile after a commit
 * asks the mirror four or five times (has the commit? fetch, resolve, check out), so it was opened
 * and closed that often (a third of the reconcile threads' JFR samples in the webhook benchmark,
 * BENCHMARKS.md). A JGit repository is safe to share between threads, and sees the packs and refs
 * its own fetches write.
 *
 * <p>Borrowers close what they borrow, as they would a repository of their own: each borrow adds
 * one to the repository's use count, the cache holds one, and the repository is really closed when
 * the last of them lets go (so an evicted mirror stays usable by whoever still holds it).
 */
final class OpenMirrors {

  private final int capacity;
  private final Map<Path, Repository> open = new LinkedHashMap<>(16, 0.75f, true);

  OpenMirrors(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The mirror in {@code gitDir}, opened on first use; the caller closes it when done. */
  Repository borrow(Path gitDir) throws IOException {
    synchronized (open) {
      Repository repo = open.get(gitDir);
      if (repo != null) {
        repo.incrementOpen();
        return repo;
      }
    }
    // Opened outside the lock: reading one mirror's config never holds up the others.
    Repository fresh =
        new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    Repository evicted = null;
    Repository repo;
    synchronized (open) {
      repo = open.putIfAbsent(gitDir, fresh);
      if (repo == null) {
        repo = fresh;
        fresh = null;
        if (open.size() > capacity) {
          Iterator<Repository> eldest = open.values().iterator();
          evicted = eldest.next();
          eldest.remove();
        }
      }
      repo.incrementOpen();
    }
    if (fresh != null) {
      fresh.close(); // another thread opened the same mirror meanwhile: use theirs
    }
    if (evicted != null) {
      evicted.close();
    }
    return repo;
  }

  /**
   * Closes the mirror in {@code gitDir} if it is open (its directory is about to be replaced, or
   * has gone); borrowers still holding it keep it until they close it.
   */
  void forget(Path gitDir) {
    Repository repo;
    synchronized (open) {
      repo = open.remove(gitDir);
    }
    if (repo != null) {
      repo.close();
    }
  }

  /** How many mirrors are open now (tests). */
  int size() {
    synchronized (open) {
      return open.size();
    }
  }
}
