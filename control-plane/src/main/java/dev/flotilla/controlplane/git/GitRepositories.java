package dev.flotilla.controlplane.git;

import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.git.GitCache;
import dev.flotilla.git.GitCredentials;
import dev.flotilla.git.GitFetchException;
import dev.flotilla.git.GitLimits;
import dev.flotilla.git.GitSnapshot;
import dev.flotilla.git.GitTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The control plane's read-only view of Git: the shared Git layer ({@link GitCache}: a mirror per
 * repository URL, credentials, timeouts, size limits) seen as the generators' inputs, resolving
 * revisions to commits and giving immutable snapshots of a commit's tree. Blocking (JGit): run it
 * on a worker pool only.
 *
 * <p>Network work ({@link #fetch}) and local reads ({@link #resolveLocal}, {@link #snapshotLocal})
 * are separate so that a repository whose server hangs holds only its own fetch.
 */
public final class GitRepositories {

  /** Longest a clone or fetch may take, and the longest silence from the server within it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Most files one snapshot lists (a generator walking more is almost certainly a mistake). */
  public static final int DEFAULT_MAX_FILES = 100_000;

  /** Most bytes one snapshot holds: file names listed plus file contents read. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  /** The control plane's Git limits unless configured otherwise. */
  public static final GitLimits DEFAULT_LIMITS =
      limits(DEFAULT_TIMEOUT, DEFAULT_MAX_FILES, DEFAULT_MAX_BYTES);

  private final GitCache git;

  /** Anonymous access, the default limits. */
  public GitRepositories(Path root) {
    this(root, GitCredentials.none(), DEFAULT_LIMITS);
  }

  /** Anonymous access; {@code timeout} bounds both the server's silence and the whole transfer. */
  public GitRepositories(Path root, Duration timeout, int maxFiles, long maxBytes) {
    this(root, GitCredentials.none(), limits(timeout, maxFiles, maxBytes));
  }

  public GitRepositories(Path root, GitCredentials credentials, GitLimits limits) {
    this.git = new GitCache(root, credentials, limits);
  }

  /**
   * The control plane's limits: {@code timeout} is both the longest silence and the longest
   * transfer, and the snapshot bounds are the checkout bounds of the Git layer.
   */
  public static GitLimits limits(Duration timeout, int maxFiles, long maxBytes) {
    return new GitLimits(timeout, maxBytes, maxFiles, timeout);
  }

  public Duration timeout() {
    return git.limits().timeout();
  }

  /** Tells {@code observer} about every clone and fetch (metrics). */
  public void observeRequests(dev.flotilla.git.GitRequestObserver observer) {
    git.observeRequests(observer);
  }

  /**
   * Fetches {@code url} (network) and resolves {@code revision} (branch, tag, HEAD or SHA) to a
   * commit SHA. A SHA the mirror already has needs no fetch.
   */
  public String resolve(String url, String revision) throws GitInputException {
    try {
      return git.resolve(url, revision);
    } catch (GitFetchException e) {
      throw input(e);
    }
  }

  /** An immutable snapshot of the tree of {@code url} at {@code revision}, fetching first. */
  public GitTreeSnapshot snapshot(String url, String revision) throws GitInputException {
    return snapshotLocal(url, resolve(url, revision));
  }

  /**
   * Clones or fetches {@code url} into its mirror; at most one thread does so per URL. Fails with
   * "timed out after Ns fetching URL" when the server is silent for the timeout or the whole
   * transfer takes longer.
   */
  public void fetch(String url) throws GitInputException {
    try {
      git.fetch(url);
    } catch (GitFetchException e) {
      throw input(e);
    }
  }

  /** Resolves {@code revision} in the mirror as last fetched; no network. */
  public String resolveLocal(String url, String revision) throws GitInputException {
    try {
      return git.resolveLocal(url, revision);
    } catch (GitFetchException e) {
      throw input(e);
    }
  }

  /** Whether the mirror of {@code url} exists and holds commit {@code sha}; no network. */
  public boolean hasCommit(String url, String sha) {
    return git.hasCommit(url, sha);
  }

  /** The tree of commit {@code sha} in the mirror, within the file and byte limits; no network. */
  public GitTreeSnapshot snapshotLocal(String url, String sha) throws GitInputException {
    try {
      return new Snapshot(git.snapshotLocal(url, sha));
    } catch (GitFetchException e) {
      throw input(e);
    }
  }

  /**
   * A read-only directory holding the files of commit {@code sha} (App of Apps renders Helm and
   * Kustomize from it), written once per commit and shared. Resolve {@code sha} first: a commit the
   * mirror lacks would be fetched here, on the caller's thread.
   */
  public Path checkout(String url, String sha) throws GitInputException {
    try {
      return git.checkout(url, sha);
    } catch (GitFetchException e) {
      throw input(e);
    }
  }

  /** The generators' view of a snapshot. */
  private record Snapshot(GitSnapshot snapshot) implements GitTreeSnapshot {
    @Override
    public String revision() {
      return snapshot.revision();
    }

    @Override
    public List<String> files() {
      return snapshot.files();
    }

    @Override
    public byte[] read(String path, long maxBytes) throws GitInputException {
      try {
        return snapshot.read(path, maxBytes);
      } catch (GitFetchException e) {
        throw input(e);
      }
    }
  }

  /**
   * The Git layer's error as a generator input error; a timeout in the control plane's own words
   * ("timed out after 60s cloning URL"), as ApplicationSet conditions have always said it.
   */
  private static GitInputException input(GitFetchException e) {
    if (e instanceof GitTimeoutException t) {
      return new GitInputException(
          "timed out after "
              + t.after().toSeconds()
              + "s "
              + (t.cloning() ? "cloning " : "fetching ")
              + t.url(),
          e);
    }
    return new GitInputException(e.getMessage(), e);
  }
}
