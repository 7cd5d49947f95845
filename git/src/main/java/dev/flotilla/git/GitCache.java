package dev.flotilla.agent.git;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;

/**
 * One bare clone per repository URL, fetched on demand, and read-only checkouts of single commits.
 *
 * <p>Blocking (JGit): call from a worker thread. Checkouts are immutable once written, so readers
 * never see a half-updated tree; each commit is materialised once and shared by every Application
 * of that repository.
 */
public final class GitCache {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int CHECKOUTS_KEPT_PER_REPO = 4;

  /**
   * Where finished checkouts live. Versioned: checkouts written before trees were validated (in
   * "checkouts") are not trusted and are deleted rather than reused.
   */
  private static final String CHECKOUTS = "checkouts-v2";

  private static final String LEGACY_CHECKOUTS = "checkouts";
  private static final String STAGING_PREFIX = "checkout-";

  private final Path root;
  private final GitCredentials credentials;
  private final GitLimits limits;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** {@code credentials} (may be null: anonymous) for every repository. */
  public GitCache(Path root, CredentialsProvider credentials) {
    this(root, GitCredentials.of(credentials));
  }

  public GitCache(Path root, GitCredentials credentials) {
    this(root, credentials, GitLimits.DEFAULTS);
  }

  public GitCache(Path root, GitCredentials credentials, GitLimits limits) {
    this.root = root;
    this.credentials = credentials;
    this.limits = limits;
  }

  /**
   * Resolves {@code revision} (branch, tag, HEAD or SHA) of {@code url} to a commit SHA, fetching
   * first unless the revision is a SHA the cache already has.
   */
  public String resolve(String url, String revision) throws GitFetchException {
    synchronized (lock(url)) {
      try (Repository repo = openOrClone(url)) {
        if (SHA.matcher(revision).matches() && hasCommit(repo, revision)) {
          return revision;
        }
        fetch(repo, url);
        ObjectId id = resolveLocal(repo, revision);
        if (id == null) {
          throw new GitFetchException(
              "revision '"
                  + revision
                  + "' not found in "
                  + url
                  + " (no such branch, tag or commit)");
        }
        return id.name();
      } catch (IOException e) {
        throw new GitFetchException("cannot read repository " + url + ": " + e.getMessage(), e);
      }
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
      Path staging = null;
      try (Repository repo = openOrClone(url)) {
        if (!hasCommit(repo, sha)) {
          fetch(repo, url);
        }
        if (!hasCommit(repo, sha)) {
          throw new GitFetchException("commit " + sha + " not found in " + url);
        }
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

  private Repository openOrClone(String url) throws GitFetchException, IOException {
    Path dir = repoDir(url).resolve("repo.git");
    if (Files.isDirectory(dir.resolve("objects"))) {
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }
    Files.createDirectories(dir.getParent());
    DeadlineMonitor deadline = new DeadlineMonitor(limits.deadline());
    try {
      CloneCommand clone =
          Git.cloneRepository()
              .setURI(url)
              .setBare(true)
              .setDirectory(dir.toFile())
              .setTimeout(limits.timeoutSeconds())
              .setProgressMonitor(deadline);
      credentials.configure(clone, url);
      Git git = clone.call();
      return git.getRepository();
    } catch (GitAPIException | RuntimeException e) {
      deleteTree(dir);
      throw new GitFetchException("cannot clone " + url + ": " + explain(url, e, deadline), e);
    }
  }

  private void fetch(Repository repo, String url) throws GitFetchException {
    DeadlineMonitor deadline = new DeadlineMonitor(limits.deadline());
    try (Git git = new Git(repo)) {
      FetchCommand fetch =
          git.fetch()
              .setRemote(url)
              .setRefSpecs(
                  new RefSpec("+refs/heads/*:refs/heads/*"),
                  new RefSpec("+refs/tags/*:refs/tags/*"))
              .setRemoveDeletedRefs(true)
              .setTimeout(limits.timeoutSeconds())
              .setProgressMonitor(deadline);
      credentials.configure(fetch, url);
      fetch.call();
    } catch (GitAPIException | RuntimeException e) {
      throw new GitFetchException("cannot fetch " + url + ": " + explain(url, e, deadline), e);
    }
  }

  private static ObjectId resolveLocal(Repository repo, String revision) throws IOException {
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

  private static boolean hasCommit(Repository repo, String sha) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(ObjectId.fromString(sha));
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
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

  private static String key(String url) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      String readable = url.replaceAll("[^A-Za-z0-9]+", "-");
      readable = readable.substring(Math.max(0, readable.length() - 40));
      return readable + "-" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The cause in a sentence; for refused credentials also which ones were tried, for a server that
   * stopped answering the timeout that ended the wait, for one that took too long the deadline.
   */
  private String explain(String url, Throwable e, DeadlineMonitor deadline) {
    String message = rootMessage(e);
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (deadline.expired()) {
      return "did not finish within "
          + GitLimits.describe(limits.deadline())
          + " (the Git deadline)";
    }
    if (timedOut(e)) {
      return "timed out after "
          + limits.timeoutSeconds()
          + "s waiting for the Git server to answer ("
          + message
          + ")";
    }
    boolean refused =
        lower.contains("not authorized")
            || lower.contains("authentication")
            || lower.contains("auth fail")
            || lower.contains("no more authentication methods")
            || lower.contains("credentialsprovider")
            || lower.contains("permission denied")
            || lower.contains("server key did not validate")
            || lower.contains("host key");
    if (lower.contains("server key did not validate")) {
      message += " (is the server's host key in the known-hosts file?)";
    }
    return refused ? message + " (credentials used: " + credentials.describe(url) + ")" : message;
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (t instanceof InterruptedIOException || m.contains("timed out") || m.contains("timeout")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
