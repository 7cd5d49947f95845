package dev.flotilla.git;

import dev.flotilla.core.digest.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One bare mirror per repository URL, shared by the control plane and the agent: resolves revisions
 * to commits, gives immutable snapshots of a commit's files (read from the mirror, nothing written)
 * and read-only checkouts of single commits (written safely, see {@link TreeMaterializer}).
 *
 * <p>Blocking (JGit): call from a worker thread. Network work ({@link #fetch}) and local reads
 * ({@link #resolveLocal}, {@link #snapshotLocal}) are separate so that a repository whose server
 * hangs holds only its own fetch: reads never take the per-URL lock (a mirror appears by an atomic
 * rename and JGit updates packs and refs atomically), and every fetch ends within the {@link
 * GitLimits}' timeout and deadline. Checkouts are immutable once written, so readers never see a
 * half-updated tree; each commit is materialised once and shared by every Application of that
 * repository.
 */
public final class GitCache {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int CHECKOUTS_KEPT_PER_REPO = 4;
  private static final String MIRROR = "repo.git";

  /** Enough for an agent's repositories and the control plane's busiest ones. */
  private static final int MIRRORS_KEPT_OPEN = 64;

  /**
   * Where finished checkouts live. Versioned: checkouts written before trees were validated (in
   * "checkouts") are not trusted and are deleted rather than reused.
   */
  private static final String CHECKOUTS = "checkouts-v2";

  private static final String LEGACY_CHECKOUTS = "checkouts";
  private static final String STAGING_PREFIX = "checkout-";

  private final Path root;
  private final GitLimits limits;
  private final MirrorFetch transport;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final OpenMirrors open = new OpenMirrors(MIRRORS_KEPT_OPEN);
  private volatile GitRequestObserver requests = GitRequestObserver.NONE;

  /** With the {@link GitLimits#DEFAULTS}. */
  public GitCache(Path root, GitCredentials credentials) {
    this(root, credentials, GitLimits.DEFAULTS);
  }

  public GitCache(Path root, GitCredentials credentials, GitLimits limits) {
    this.root = root;
    this.limits = limits;
    this.transport = new MirrorFetch(credentials, limits);
  }

  public GitLimits limits() {
    return limits;
  }

  /** Tells {@code observer} about every clone and fetch from now on (metrics). */
  public void observeRequests(GitRequestObserver observer) {
    this.requests = observer;
  }

  /**
   * Resolves {@code revision} (branch, tag, HEAD or SHA) of {@code url} to a commit SHA, fetching
   * first unless the revision is a SHA the mirror already has.
   */
  public String resolve(String url, String revision) throws GitFetchException {
    if (SHA.matcher(revision).matches() && hasCommit(url, revision)) {
      return revision;
    }
    fetch(url);
    return resolveLocal(url, revision);
  }

  /** An immutable snapshot of the files of {@code url} at {@code revision}, fetching first. */
  public GitSnapshot snapshot(String url, String revision) throws GitFetchException {
    return snapshotLocal(url, resolve(url, revision));
  }

  /**
   * Clones or fetches {@code url} into its mirror; at most one thread does so per URL.
   *
   * @throws GitTimeoutException when the server is silent for the timeout or the whole transfer
   *     outlasts the deadline
   */
  public void fetch(String url) throws GitFetchException {
    synchronized (lock(url)) {
      long started = System.nanoTime();
      boolean failed = true;
      try {
        fetchLocked(url);
        failed = false;
      } finally {
        requests.requestEnded(
            url, GitRequestObserver.FETCH, Duration.ofNanos(System.nanoTime() - started), failed);
      }
    }
  }

  private void fetchLocked(String url) throws GitFetchException {
    Path dir = mirrorDir(url);
    if (!Files.isDirectory(dir.resolve("objects"))) {
      open.forget(dir);
      deleteLegacyMirror(url);
      transport.cloneInto(url, root, dir);
      return;
    }
    try (Repository repo = open.borrow(dir)) {
      transport.fetch(repo, url);
    } catch (IOException e) {
      throw new GitFetchException("cannot read " + url + ": " + e.getMessage(), e);
    }
  }

  /** Resolves {@code revision} in the mirror as last fetched; no network. */
  public String resolveLocal(String url, String revision) throws GitFetchException {
    try (Repository repo = openMirror(url)) {
      ObjectId id = resolveIn(repo, revision);
      if (id == null) {
        throw new GitFetchException(
            "revision '" + revision + "' not found in " + url + " (no such branch, tag or commit)");
      }
      return id.name();
    } catch (IOException e) {
      throw new GitFetchException("cannot read " + url + ": " + e.getMessage(), e);
    }
  }

  /** Whether the mirror of {@code url} exists and holds commit {@code sha}; no network. */
  public boolean hasCommit(String url, String sha) {
    if (!Files.isDirectory(mirrorDir(url).resolve("objects"))) {
      return false;
    }
    try (Repository repo = openMirror(url);
        RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(ObjectId.fromString(sha));
      return true;
    } catch (IOException | GitFetchException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Author, subject and time of commit {@code sha}, read from the mirror (it is there once the
   * commit was resolved or checked out); no network.
   *
   * @throws GitFetchException when the mirror does not hold the commit
   */
  public GitCommit commit(String url, String sha) throws GitFetchException {
    try (Repository repo = openMirror(url);
        RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
      return new GitCommit(
          c.name(),
          c.getAuthorIdent().getName(),
          GitCommit.subjectOf(c.getFullMessage()),
          c.getCommitTime() * 1000L);
    } catch (IOException | IllegalArgumentException e) {
      throw new GitFetchException(
          "cannot read commit " + sha + " of " + url + ": " + e.getMessage(), e);
    }
  }

  /** The files of commit {@code sha} in the mirror, within the file and byte limits; no network. */
  public GitSnapshot snapshotLocal(String url, String sha) throws GitFetchException {
    long maxFiles = limits.maxCheckoutFiles();
    long maxBytes = limits.maxCheckoutBytes();
    try (Repository repo = openMirror(url);
        RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      Map<String, ObjectId> files = new TreeMap<>();
      long used = 0;
      while (tree.next()) {
        FileMode mode = tree.getFileMode(0);
        // Symlinks are not followed: a link could point outside the repository.
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          if (files.size() >= maxFiles) {
            throw new GitFetchException(
                url + " at " + sha + " has more than " + maxFiles + " files, over the limit");
          }
          String path = tree.getPathString();
          used += path.length();
          if (used > maxBytes) {
            throw new GitFetchException(
                "the file names of " + url + " at " + sha + " exceed " + maxBytes + " bytes");
          }
          files.put(path, tree.getObjectId(0));
        }
      }
      return new GitSnapshot(this, url, sha, files, used);
    } catch (IOException | IllegalArgumentException e) {
      throw new GitFetchException("cannot read " + url + " at " + sha + ": " + e.getMessage(), e);
    }
  }

  /**
   * A directory holding the files of commit {@code sha}; fetches it if the cache lacks it. The
   * directory appears complete or not at all: a checkout is written to a staging directory, moved
   * into place only when finished, and deleted when refused or failed.
   *
   * @throws GitFetchException also when the commit's tree is refused (an entry that could make the
   *     checkout write outside its directory, a symlink leading out of the repository) or exceeds
   *     the {@link GitLimits}; the message names the entry, the commit and the repository
   */
  public Path checkout(String url, String sha) throws GitFetchException {
    if (!SHA.matcher(sha).matches()) {
      throw new GitFetchException("'" + sha + "' is not a commit SHA (of " + url + ")");
    }
    Path target = repoDir(url).resolve(CHECKOUTS).resolve(sha);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return target;
    }
    synchronized (lock(url)) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        return target;
      }
      if (!hasCommit(url, sha)) {
        fetch(url);
      }
      if (!hasCommit(url, sha)) {
        throw new GitFetchException("commit " + sha + " not found in " + url);
      }
      Path staging = null;
      try (Repository repo = openMirror(url)) {
        deleteLeftovers(repoDir(url));
        staging = Files.createTempDirectory(repoDir(url), STAGING_PREFIX);
        TreeMaterializer.write(
            repo, ObjectId.fromString(sha), staging, limits, "commit " + sha + " of " + url);
        Files.createDirectories(target.getParent());
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          staging = null;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
          // Another process wrote the same commit: its checkout is as good as ours.
        }
        pruneOldCheckouts(target.getParent());
        return target;
      } catch (IOException e) {
        throw new GitFetchException(
            "cannot check out " + sha + " of " + url + ": " + e.getMessage(), e);
      } finally {
        if (staging != null) {
          deleteTree(staging);
        }
      }
    }
  }

  /**
   * Staging directories of checkouts cut short by a crash, and checkouts written before trees were
   * validated. Called under the repository's lock, so no checkout of this cache is being written.
   */
  private static void deleteLeftovers(Path repoDir) throws IOException {
    deleteTree(repoDir.resolve(LEGACY_CHECKOUTS));
    try (Stream<Path> s = Files.list(repoDir)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith(STAGING_PREFIX)) {
          deleteTree(p);
        }
      }
    }
  }

  private Object lock(String url) {
    return locks.computeIfAbsent(url, u -> new Object());
  }

  private Path repoDir(String url) {
    return root.resolve(key(url));
  }

  private Path mirrorDir(String url) {
    return repoDir(url).resolve(MIRROR);
  }

  /**
   * The control plane kept its mirror directly in the repository's directory; that directory now
   * holds the mirror and the checkouts. Such an old mirror is deleted before the first clone.
   */
  private void deleteLegacyMirror(String url) {
    Path dir = repoDir(url);
    if (Files.isDirectory(dir.resolve("objects"), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(dir.resolve(MIRROR), LinkOption.NOFOLLOW_LINKS)) {
      deleteTree(dir);
    }
  }

  Repository openMirror(String url) throws GitFetchException, IOException {
    Path dir = mirrorDir(url);
    if (!Files.isDirectory(dir.resolve("objects"))) {
      open.forget(dir); // gone from disk: never read through a stale open repository
      throw new GitFetchException(url + " has not been fetched yet");
    }
    return open.borrow(dir);
  }

  private static ObjectId resolveIn(Repository repo, String revision) throws IOException {
    if ("HEAD".equals(revision) || revision.isEmpty()) {
      return repo.resolve(Constants.HEAD + "^{commit}");
    }
    for (String candidate :
        List.of(Constants.R_HEADS + revision, Constants.R_TAGS + revision, revision)) {
      ObjectId id = repo.resolve(candidate + "^{commit}");
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  private static void pruneOldCheckouts(Path checkouts) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.list(checkouts)) {
      all = s.sorted(Comparator.comparing(GitCache::modified).reversed()).toList();
    }
    for (Path old : all.subList(Math.min(CHECKOUTS_KEPT_PER_REPO, all.size()), all.size())) {
      deleteTree(old);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover directory only costs disk space.
    }
  }

  private String key(String url) {
    return keys.computeIfAbsent(url, GitCache::keyOf);
  }

  private static String keyOf(String url) {
    String readable = url.replaceAll("[^A-Za-z0-9]+", "-");
    readable = readable.substring(Math.max(0, readable.length() - 40));
    return readable + "-" + Digests.sha256Hex(url, 6);
  }
}
