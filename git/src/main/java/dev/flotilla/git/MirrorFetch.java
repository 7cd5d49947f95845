package dev.flotilla.git;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The network half of a mirror: a first clone, or a fetch into an existing mirror, with the
 * repository's credentials, the transport timeout and the whole-operation deadline; failures become
 * a sentence naming the repository and the cause (for refused credentials also which ones were
 * used, never a secret).
 */
final class MirrorFetch {

  private final GitCredentials credentials;
  private final GitLimits limits;

  MirrorFetch(GitCredentials credentials, GitLimits limits) {
    this.credentials = credentials;
    this.limits = limits;
  }

  /**
   * Clones {@code url} into a temporary directory under {@code scratch} and renames it to {@code
   * dir}, so a reader never opens a half-cloned mirror; nothing is left behind on failure.
   */
  void cloneInto(String url, Path scratch, Path dir) throws GitFetchException {
    Path tmp = scratch.resolve(".clone-" + UUID.randomUUID());
    DeadlineMonitor deadline =
        new DeadlineMonitor(limits.deadline(), tmp.resolve("objects"), limits.maxFetchBytes());
    try {
      Files.createDirectories(scratch);
      try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
        quietGc(git.getRepository());
        linkHead(git.getRepository(), fetchInto(git, url, deadline));
      }
      Files.createDirectories(dir.getParent());
      GitCache.deleteTree(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure(url, true, e, deadline);
    } finally {
      GitCache.deleteTree(tmp);
    }
  }

  /** Fetches every branch and tag of {@code url} into the mirror {@code repo}. */
  void fetch(Repository repo, String url) throws GitFetchException {
    DeadlineMonitor deadline =
        new DeadlineMonitor(
            limits.deadline(),
            repo.getDirectory().toPath().resolve("objects"),
            limits.maxFetchBytes());
    try (Git git = new Git(repo)) {
      quietGc(repo);
      fetchInto(git, url, deadline);
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure(url, false, e, deadline);
    }
  }

  private FetchResult fetchInto(Git git, String url, DeadlineMonitor deadline)
      throws GitAPIException {
    FetchCommand fetch =
        git.fetch()
            .setRemote(url)
            .setRefSpecs(
                new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
            .setRemoveDeletedRefs(true)
            .setTimeout(limits.timeoutSeconds())
            .setProgressMonitor(deadline);
    credentials.configure(fetch, url);
    FetchResult result = fetch.call();
    if (deadline.isCancelled()) {
      // JGit may end a cancelled transfer quietly, without the refs: that is no finished fetch.
      throw new CancelledByDeadline();
    }
    return result;
  }

  /** Raised when a transfer returned after its deadline; {@link #failure} words it. */
  private static final class CancelledByDeadline extends RuntimeException {
    CancelledByDeadline() {
      super("cancelled at the Git deadline");
    }
  }

  /**
   * No detached (background) garbage collection after a fetch: it would race the rename of a new
   * mirror. {@code gc.auto=0} stops only JGit's loose-object trigger: with more than {@code
   * gc.autopacklimit} packs (50, as in Git) JGit still repacks them into one at the end of a fetch,
   * in the fetching thread under the per-URL lock. It then keeps the packs it replaced for {@code
   * gc.prunePackExpire} (an hour), and they still count: every later fetch repacked everything
   * again and left two more packs behind. So replaced packs go at once; a reader holding one open
   * keeps reading it, and one that misses it finds the objects in the new pack ({@code
   * GitCacheTest.aMirrorFedOnePackPerFetchIsRepackedOncePastFiftyPacks}).
   */
  private static void quietGc(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    if (config.getInt("gc", "auto", -1) != 0
        || !"now".equals(config.getString("gc", null, "prunePackExpire"))) {
      config.setInt("gc", null, "auto", 0);
      config.setBoolean("gc", null, "autoDetach", false);
      config.setString("gc", null, "prunePackExpire", "now");
      config.save();
    }
  }

  /** Points the mirror's HEAD where the server's does, as a clone would. */
  private static void linkHead(Repository repo, FetchResult fetched) throws IOException {
    Ref head = fetched.getAdvertisedRef(Constants.HEAD);
    String target = null;
    if (head != null && head.isSymbolic()) {
      target = head.getTarget().getName();
    } else if (head != null && head.getObjectId() != null) {
      for (Ref r : fetched.getAdvertisedRefs()) {
        if (r.getName().startsWith(Constants.R_HEADS)
            && head.getObjectId().equals(r.getObjectId())) {
          target = r.getName();
          break;
        }
      }
    }
    if (target != null) {
      RefUpdate update = repo.updateRef(Constants.HEAD);
      update.disableRefLog();
      update.link(target);
    }
  }

  /**
   * "cannot clone URL: CAUSE"; for refused credentials also which ones were tried, for a server
   * that stopped answering the timeout that ended the wait, for one that took too long the
   * deadline.
   */
  private GitFetchException failure(
      String url, boolean cloning, Throwable e, DeadlineMonitor deadline) {
    String prefix = "cannot " + (cloning ? "clone " : "fetch ") + url + ": ";
    String message = rootMessage(e);
    if (deadline.oversized()) {
      return new GitFetchException(
          prefix
              + "the transfer exceeded "
              + (limits.maxFetchBytes() >> 20)
              + " MiB (the Git fetch size limit) and was cancelled",
          e);
    }
    if (deadline.expired()) {
      return new GitTimeoutException(
          prefix
              + "did not finish within "
              + GitLimits.describe(limits.deadline())
              + " (the Git deadline)",
          url,
          cloning,
          limits.deadline(),
          e);
    }
    if (timedOut(e)) {
      return new GitTimeoutException(
          prefix
              + "timed out after "
              + limits.timeoutSeconds()
              + "s waiting for the Git server to answer ("
              + message
              + ")",
          url,
          cloning,
          limits.timeout(),
          e);
    }
    String lower = message.toLowerCase(Locale.ROOT);
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
    return new GitFetchException(
        prefix
            + message
            + (refused ? " (credentials used: " + credentials.describe(url) + ")" : ""),
        e);
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof InterruptedIOException || m.contains("timed out") || m.contains("timeout")) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
