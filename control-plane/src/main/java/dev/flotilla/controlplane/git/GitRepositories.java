package dev.flotilla.controlplane.git;

import dev.flotilla.core.digest.Digests;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The control plane's read-only view of Git: a bare mirror per repository URL, used to resolve
 * revisions to commits and to give generators immutable snapshots of a commit's tree. Blocking
 * (JGit): run it on a worker pool only.
 *
 * <p>Network work ({@link #fetch}) and local reads ({@link #resolveLocal}, {@link #snapshotLocal})
 * are separate so that a repository whose server hangs holds only its own fetch: reads never take
 * the per-URL lock (a mirror is created by an atomic rename and JGit updates packs and refs
 * atomically), and every fetch ends within the configured timeout.
 */
public final class GitRepositories {

  /** Longest a clone or fetch may take, and the longest silence from the server within it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Most files one snapshot lists (a generator walking more is almost certainly a mistake). */
  public static final int DEFAULT_MAX_FILES = 100_000;

  /** Most bytes one snapshot holds: file names listed plus file contents read. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private final Path root;
  private final Duration timeout;
  private final int maxFiles;
  private final long maxBytes;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public GitRepositories(Path root) {
    this(root, DEFAULT_TIMEOUT, DEFAULT_MAX_FILES, DEFAULT_MAX_BYTES);
  }

  public GitRepositories(Path root, Duration timeout, int maxFiles, long maxBytes) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Git timeout: must be positive, got " + timeout);
    }
    this.root = root;
    this.timeout = timeout;
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Fetches {@code url} (network) and resolves {@code revision} (branch, tag, HEAD or SHA) to a
   * commit SHA. A SHA the mirror already has needs no fetch.
   */
  public String resolve(String url, String revision) throws GitInputException {
    if (SHA.matcher(revision).matches() && hasCommit(url, revision)) {
      return revision;
    }
    fetch(url);
    return resolveLocal(url, revision);
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
    synchronized (locks.computeIfAbsent(url, u -> new Object())) {
      Path dir = mirrorDir(url);
      long deadline = System.nanoTime() + timeout.toNanos();
      if (!Files.isDirectory(dir.resolve("objects"))) {
        cloneInto(url, dir, deadline);
        return;
      }
      try (Repository repo = open(dir);
          Git git = new Git(repo)) {
        quietGc(repo);
        fetchInto(git, url, deadline);
      } catch (GitAPIException | IOException | RuntimeException e) {
        throw failure("fetch", url, deadline, e);
      }
    }
  }

  /** Resolves {@code revision} in the mirror as last fetched; no network. */
  public String resolveLocal(String url, String revision) throws GitInputException {
    try (Repository repo = openMirror(url)) {
      ObjectId id = resolveIn(repo, revision);
      if (id == null) {
        throw new GitInputException(
            "revision '" + revision + "' not found in " + url + " (no such branch, tag or commit)");
      }
      return id.name();
    } catch (IOException e) {
      throw new GitInputException("cannot read " + url + ": " + e.getMessage(), e);
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
    } catch (IOException | GitInputException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The tree of commit {@code sha} in the mirror, within the file and byte limits; no network. */
  public GitTreeSnapshot snapshotLocal(String url, String sha) throws GitInputException {
    try (Repository repo = openMirror(url);
        RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      Map<String, ObjectId> files = new TreeMap<>();
      AtomicLong used = new AtomicLong();
      while (tree.next()) {
        FileMode mode = tree.getFileMode(0);
        // Symlinks are not followed: a link could point outside the repository.
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          if (files.size() >= maxFiles) {
            throw new GitInputException(
                url + " at " + sha + " has more than " + maxFiles + " files, over the limit");
          }
          String path = tree.getPathString();
          if (used.addAndGet(path.length()) > maxBytes) {
            throw new GitInputException(
                "the file names of " + url + " at " + sha + " exceed " + maxBytes + " bytes");
          }
          files.put(path, tree.getObjectId(0));
        }
      }
      return new MirrorSnapshot(url, sha, files, used);
    } catch (IOException | IllegalArgumentException e) {
      throw new GitInputException("cannot read " + url + " at " + sha + ": " + e.getMessage(), e);
    }
  }

  private final class MirrorSnapshot implements GitTreeSnapshot {
    private final String url;
    private final String sha;
    private final Map<String, ObjectId> files;
    private final AtomicLong used;

    MirrorSnapshot(String url, String sha, Map<String, ObjectId> files, AtomicLong used) {
      this.url = url;
      this.sha = sha;
      this.files = files;
      this.used = used;
    }

    @Override
    public String revision() {
      return sha;
    }

    @Override
    public List<String> files() {
      return new ArrayList<>(files.keySet());
    }

    @Override
    public byte[] read(String path, long maxFileBytes) throws GitInputException {
      ObjectId id = files.get(path);
      if (id == null) {
        throw new GitInputException("file '" + path + "' not found in " + url + " at " + sha);
      }
      try (Repository repo = openMirror(url)) {
        ObjectLoader loader = repo.open(id);
        long size = loader.getSize();
        if (size > maxFileBytes) {
          throw new GitInputException(
              "file '" + path + "' is " + size + " bytes, over the limit of " + maxFileBytes);
        }
        if (used.addAndGet(size) > maxBytes) {
          throw new GitInputException(
              "reading '"
                  + path
                  + "' takes the files read from "
                  + url
                  + " at "
                  + sha
                  + " over the limit of "
                  + maxBytes
                  + " bytes");
        }
        return loader.getBytes();
      } catch (IOException e) {
        throw new GitInputException(
            "cannot read '" + path + "' of " + url + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Clones into a temporary directory and renames it into place, so a reader never opens a
   * half-cloned mirror.
   */
  private void cloneInto(String url, Path dir, long deadline) throws GitInputException {
    Path tmp = root.resolve(".clone-" + UUID.randomUUID());
    try {
      Files.createDirectories(root);
      try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
        quietGc(git.getRepository());
        linkHead(git.getRepository(), fetchInto(git, url, deadline));
      }
      deleteQuietly(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("clone", url, deadline, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private FetchResult fetchInto(Git git, String url, long deadline) throws GitAPIException {
    return bounded(git.fetch(), deadline)
        .setRemote(url)
        .setRefSpecs(
            new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
        .setRemoveDeletedRefs(true)
        .setProgressMonitor(new Deadline(deadline))
        .call();
  }

  /**
   * No background garbage collection after a fetch: it would race the rename of a new mirror and
   * repack under concurrent readers.
   */
  private static void quietGc(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    if (config.getInt("gc", "auto", -1) != 0) {
      config.setInt("gc", null, "auto", 0);
      config.setBoolean("gc", null, "autoDetach", false);
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

  /** Inactivity timeout on every connection of the command (HTTP connect and read, git://). */
  private <C extends TransportCommand<C, ?>> C bounded(C command, long deadline) {
    long left = Math.max(1, (deadline - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
    return command.setTimeout((int) Math.min(Integer.MAX_VALUE, left));
  }

  /** {@code what} is "clone" or "fetch". */
  private GitInputException failure(String what, String url, long deadline, Exception e) {
    if (timedOut(e) || System.nanoTime() - deadline >= 0) {
      String doing = what.equals("clone") ? "cloning" : "fetching";
      return new GitInputException(
          "timed out after " + timeout.toSeconds() + "s " + doing + " " + url, e);
    }
    return new GitInputException("cannot " + what + " " + url + ": " + rootMessage(e), e);
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException
          || (t.getMessage() != null && t.getMessage().contains("timed out"))) {
        return true;
      }
    }
    return false;
  }

  /** Cancels a transfer that runs past the deadline (JGit checks it while it negotiates/reads). */
  private static final class Deadline extends EmptyProgressMonitor {
    private final long deadline;

    Deadline(long deadline) {
      this.deadline = deadline;
    }

    @Override
    public boolean isCancelled() {
      return System.nanoTime() - deadline >= 0;
    }
  }

  private Repository openMirror(String url) throws GitInputException, IOException {
    Path dir = mirrorDir(url);
    if (!Files.isDirectory(dir.resolve("objects"))) {
      throw new GitInputException(url + " has not been fetched yet");
    }
    return open(dir);
  }

  private static Repository open(Path dir) throws IOException {
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  private Path mirrorDir(String url) {
    return root.resolve(key(url));
  }

  private static ObjectId resolveIn(Repository repo, String revision) throws IOException {
    if (revision.isEmpty() || "HEAD".equals(revision)) {
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

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // Nothing to clean up.
    }
  }

  private static String key(String url) {
    String readable = url.replaceAll("[^A-Za-z0-9]+", "-");
    return readable.substring(Math.max(0, readable.length() - 40))
        + "-"
        + Digests.sha256Hex(url, 6);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
