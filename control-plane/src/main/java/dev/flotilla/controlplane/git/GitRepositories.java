package dev.flotilla.controlplane.git;

import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The control plane's read-only view of Git: a bare mirror per repository URL, used to resolve
 * revisions to commits and to give generators immutable snapshots of a commit's tree. Blocking
 * (JGit): run it on the {@code git-ops} worker pool only.
 */
public final class GitRepositories {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private final Path root;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public GitRepositories(Path root) {
    this.root = root;
  }

  /**
   * Fetches {@code url} and resolves {@code revision} (branch, tag, HEAD or SHA) to a commit SHA.
   */
  public String resolve(String url, String revision) throws GitInputException {
    synchronized (lock(url)) {
      try (Repository repo = mirror(url)) {
        if (SHA.matcher(revision).matches() && has(repo, revision)) {
          return revision;
        }
        fetch(repo, url);
        ObjectId id = resolveLocal(repo, revision);
        if (id == null) {
          throw new GitInputException(
              "revision '"
                  + revision
                  + "' not found in "
                  + url
                  + " (no such branch, tag or commit)");
        }
        return id.name();
      } catch (IOException e) {
        throw new GitInputException("cannot read " + url + ": " + e.getMessage(), e);
      }
    }
  }

  /** An immutable snapshot of the tree of {@code url} at {@code revision}. */
  public GitTreeSnapshot snapshot(String url, String revision) throws GitInputException {
    String sha = resolve(url, revision);
    synchronized (lock(url)) {
      try (Repository repo = mirror(url);
          RevWalk walk = new RevWalk(repo);
          TreeWalk tree = new TreeWalk(repo)) {
        RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
        tree.addTree(commit.getTree());
        tree.setRecursive(true);
        Map<String, ObjectId> files = new java.util.TreeMap<>();
        while (tree.next()) {
          FileMode mode = tree.getFileMode(0);
          // Symlinks are not followed: a link could point outside the repository.
          if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            files.put(tree.getPathString(), tree.getObjectId(0));
          }
        }
        return new MirrorSnapshot(url, sha, files);
      } catch (IOException e) {
        throw new GitInputException("cannot read " + url + " at " + sha + ": " + e.getMessage(), e);
      }
    }
  }

  private final class MirrorSnapshot implements GitTreeSnapshot {
    private final String url;
    private final String sha;
    private final Map<String, ObjectId> files;

    MirrorSnapshot(String url, String sha, Map<String, ObjectId> files) {
      this.url = url;
      this.sha = sha;
      this.files = files;
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
    public byte[] read(String path, long maxBytes) throws GitInputException {
      ObjectId id = files.get(path);
      if (id == null) {
        throw new GitInputException("file '" + path + "' not found in " + url + " at " + sha);
      }
      synchronized (lock(url)) {
        try (Repository repo = mirror(url)) {
          ObjectLoader loader = repo.open(id);
          if (loader.getSize() > maxBytes) {
            throw new GitInputException(
                "file '"
                    + path
                    + "' is "
                    + loader.getSize()
                    + " bytes, over the limit of "
                    + maxBytes);
          }
          return loader.getBytes();
        } catch (IOException e) {
          throw new GitInputException(
              "cannot read '" + path + "' of " + url + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private Object lock(String url) {
    return locks.computeIfAbsent(url, u -> new Object());
  }

  private Repository mirror(String url) throws GitInputException, IOException {
    Path dir = root.resolve(key(url));
    if (Files.isDirectory(dir.resolve("objects"))) {
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }
    Files.createDirectories(root);
    try {
      return Git.cloneRepository()
          .setURI(url)
          .setBare(true)
          .setDirectory(dir.toFile())
          .call()
          .getRepository();
    } catch (GitAPIException | RuntimeException e) {
      deleteQuietly(dir);
      throw new GitInputException("cannot clone " + url + ": " + rootMessage(e), e);
    }
  }

  private static void fetch(Repository repo, String url) throws GitInputException {
    try (Git git = new Git(repo)) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
          .setRemoveDeletedRefs(true)
          .call();
    } catch (GitAPIException | RuntimeException e) {
      throw new GitInputException("cannot fetch " + url + ": " + rootMessage(e), e);
    }
  }

  private static ObjectId resolveLocal(Repository repo, String revision) throws IOException {
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

  private static boolean has(Repository repo, String sha) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(ObjectId.fromString(sha));
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Nothing to clean up.
    }
  }

  private static String key(String url) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      String readable = url.replaceAll("[^A-Za-z0-9]+", "-");
      return readable.substring(Math.max(0, readable.length() - 40))
          + "-"
          + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
