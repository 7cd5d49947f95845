package dev.flotilla.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tree of one commit into an empty directory.
 *
 * <p>A tree is input from whoever can push to the repository, and a crafted one can hold what Git's
 * own commands never write: a symlink and a directory of the same name (so that files land "under"
 * the link, that is wherever it points), names such as {@code ..}, {@code .git} or {@code a/b}, or
 * links leading out of the repository. Such trees are refused as a whole, naming the entry, before
 * anything is written — as Argo CD refuses repositories with out-of-bounds symlinks. Writing is
 * then done so that no write can pass through a symlink even if a check were missed: directories
 * are created one component at a time and never followed when they are links, files are created new
 * without following links, their parent's real path is checked to be inside the checkout, and links
 * are created last, after every file.
 *
 * <p>Symlinks that stay inside the repository are kept as links (renderers follow them and check
 * the real path again, see {@code RepoPaths}); whether one stays inside is decided by following it
 * through the tree's own entries, as the operating system would, so a chain of links that are each
 * harmless cannot add up to an escape.
 */
final class TreeMaterializer {

  /** Linux's PATH_MAX: a longer link target is no path the system would follow. */
  private static final int MAX_LINK_TARGET = 4096;

  /** Linux gives up after 40 links in one path; so does the escape check. */
  private static final int MAX_LINK_HOPS = 40;

  private enum Kind {
    DIRECTORY("a directory"),
    FILE("a file"),
    SYMLINK("a symlink"),
    SUBMODULE("a submodule");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  private record Entry(String path, Kind kind, ObjectId id) {}

  private final Repository repo;
  private final GitLimits limits;
  private final String commit;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> linkTargets = new LinkedHashMap<>();

  private TreeMaterializer(Repository repo, GitLimits limits, String commit) {
    this.repo = repo;
    this.limits = limits;
    this.commit = commit;
  }

  /**
   * Writes commit {@code commitId} into the empty directory {@code dest}.
   *
   * @param what the commit for messages, e.g. "commit SHA of URL"
   * @throws GitFetchException naming the entry and {@code what} when the tree is refused or over a
   *     limit; {@code dest} may then hold part of the tree and must be deleted by the caller
   */
  static void write(Repository repo, ObjectId commitId, Path dest, GitLimits limits, String what)
      throws GitFetchException, IOException {
    TreeMaterializer tree = new TreeMaterializer(repo, limits, what);
    tree.plan(commitId);
    for (String link : tree.linkTargets.keySet()) {
      tree.checkLinkStaysInside(link);
    }
    tree.materialise(dest.toRealPath());
  }

  /** Reads every entry and refuses bad names, duplicates and too many files. */
  private void plan(ObjectId commitId) throws IOException, GitFetchException {
    long files = 0;
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(commitId).getTree());
      tree.setRecursive(false);
      while (tree.next()) {
        String path = tree.getPathString();
        checkName(tree.getNameString(), path);
        Kind kind = kind(tree.getRawMode(0), path);
        Entry entry = new Entry(path, kind, tree.getObjectId(0));
        Entry earlier = entries.putIfAbsent(path, entry);
        if (earlier != null) {
          throw refuse(
              "'"
                  + printable(path)
                  + "' appears twice in its directory (as "
                  + earlier.kind().description
                  + " and as "
                  + kind.description
                  + "), which could make a checkout write through a link");
        }
        switch (kind) {
          case DIRECTORY -> tree.enterSubtree();
          case FILE, SYMLINK -> {
            if (++files > limits.maxCheckoutFiles()) {
              throw refuse(
                  "it has more than " + limits.maxCheckoutFiles() + " files (the checkout limit)");
            }
            if (kind == Kind.SYMLINK) {
              linkTargets.put(path, linkTarget(entry));
            }
          }
          case SUBMODULE -> {
            // Not followed: submodules are not checked out.
          }
        }
      }
    }
  }

  private void checkName(String name, String path) throws GitFetchException {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0
        || name.toLowerCase(Locale.ROOT).equals(Constants.DOT_GIT)) {
      throw refuse(
          "entry '"
              + printable(path)
              + "' has a name Git never writes (empty, '.', '..', '.git' or containing '/')");
    }
  }

  private Kind kind(int rawMode, String path) throws GitFetchException {
    return switch (rawMode & FileMode.TYPE_MASK) {
      case FileMode.TYPE_TREE -> Kind.DIRECTORY;
      case FileMode.TYPE_FILE -> Kind.FILE;
      case FileMode.TYPE_SYMLINK -> Kind.SYMLINK;
      case FileMode.TYPE_GITLINK -> Kind.SUBMODULE;
      default ->
          throw refuse(
              "entry '"
                  + printable(path)
                  + "' has an unknown file mode "
                  + Integer.toOctalString(rawMode));
    };
  }

  private String linkTarget(Entry link) throws IOException, GitFetchException {
    ObjectLoader loader = repo.open(link.id(), Constants.OBJ_BLOB);
    if (loader.getSize() > MAX_LINK_TARGET) {
      throw refuse(
          "symlink '"
              + printable(link.path())
              + "' has a target longer than "
              + MAX_LINK_TARGET
              + " bytes");
    }
    String target = new String(loader.getCachedBytes(), StandardCharsets.UTF_8);
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw refuse("symlink '" + printable(link.path()) + "' has an empty or invalid target");
    }
    return target;
  }

  /**
   * Follows the link at {@code link} through the tree's entries as the operating system would
   * follow it on disk, and refuses it when it is absolute or climbs above the repository root.
   * Names the tree does not hold are taken as plain directories, which only ever refuses more.
   */
  private void checkLinkStaysInside(String link) throws GitFetchException {
    Deque<String> at = new ArrayDeque<>(components(parent(link)));
    Deque<String> todo = new ArrayDeque<>();
    String target = linkTargets.get(link);
    refuseAbsolute(link, target);
    todo.addAll(components(target));
    int hops = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (at.isEmpty()) {
          throw refuse(
              "symlink '"
                  + printable(link)
                  + "' -> '"
                  + printable(target)
                  + "' leads outside the repository");
        }
        at.removeLast();
        continue;
      }
      at.addLast(name);
      Entry entry = entries.get(String.join("/", at));
      if (entry != null && entry.kind() == Kind.SYMLINK) {
        if (++hops > MAX_LINK_HOPS) {
          throw refuse("symlink '" + printable(link) + "' goes round a loop of links");
        }
        at.removeLast();
        String next = linkTargets.get(entry.path());
        refuseAbsolute(entry.path(), next);
        List<String> expanded = components(next);
        for (int i = expanded.size() - 1; i >= 0; i--) {
          todo.addFirst(expanded.get(i));
        }
      }
    }
  }

  private void refuseAbsolute(String link, String target) throws GitFetchException {
    if (target.startsWith("/")) {
      throw refuse(
          "symlink '"
              + printable(link)
              + "' -> '"
              + printable(target)
              + "' is absolute; only links that stay inside the repository are checked out");
    }
  }

  private void materialise(Path root) throws IOException, GitFetchException {
    Set<String> made = new HashSet<>();
    long written = 0;
    byte[] buffer = new byte[64 * 1024];
    for (Entry entry : entries.values()) {
      if (entry.kind() != Kind.FILE) {
        continue;
      }
      Path file = directory(root, parent(entry.path()), made).resolve(name(entry.path()));
      ObjectLoader loader = repo.open(entry.id(), Constants.OBJ_BLOB);
      if (written + loader.getSize() > limits.maxCheckoutBytes()) {
        throw tooLarge(entry.path());
      }
      try (InputStream in = loader.openStream();
          OutputStream out =
              Files.newOutputStream(
                  file,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          written += n;
          if (written > limits.maxCheckoutBytes()) {
            throw tooLarge(entry.path());
          }
          out.write(buffer, 0, n);
        }
      } catch (FileAlreadyExistsException e) {
        throw clash(entry.path());
      }
    }
    // Links last: nothing is created after the first link exists, so nothing can go through one.
    for (Map.Entry<String, String> link : linkTargets.entrySet()) {
      Path at = directory(root, parent(link.getKey()), made).resolve(name(link.getKey()));
      try {
        Files.createSymbolicLink(at, Path.of(link.getValue()));
      } catch (FileAlreadyExistsException e) {
        throw clash(link.getKey());
      }
    }
  }

  /**
   * Creates directory {@code dir} (relative, '/'-separated) under {@code root} one component at a
   * time, only ever as real directories: an existing link or file on the way is refused.
   */
  private Path directory(Path root, String dir, Set<String> made)
      throws IOException, GitFetchException {
    if (dir.isEmpty()) {
      return root;
    }
    Path current = root;
    if (made.contains(dir)) {
      return current.resolve(dir);
    }
    for (String name : components(dir)) {
      current = current.resolve(name);
      try {
        Files.createDirectory(current);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
          throw refuse(
              "'"
                  + printable(root.relativize(current).toString())
                  + "' is needed as a directory but is a link or file");
        }
      }
    }
    if (!current.toRealPath().startsWith(root)) {
      throw refuse("directory '" + printable(dir) + "' leads outside the checkout");
    }
    made.add(dir);
    return current;
  }

  private GitFetchException tooLarge(String path) {
    return refuse(
        "its files add up to more than "
            + limits.maxCheckoutBytes()
            + " bytes (the checkout limit), reached at '"
            + printable(path)
            + "'");
  }

  private GitFetchException clash(String path) {
    return refuse(
        "'"
            + printable(path)
            + "' clashes with another entry of the same name (on a case-insensitive file system?)");
  }

  private GitFetchException refuse(String reason) {
    return new GitFetchException(commit + " cannot be checked out: " + reason);
  }

  private static List<String> components(String path) {
    return path.isEmpty() ? List.of() : Arrays.asList(path.split("/", -1));
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Paths come from the repository: control characters are escaped before they reach a message. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
