package dev.flotilla.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves paths that come from Git (an Application's path, Helm value files) against the checkout,
 * refusing any that lead outside it — by {@code ..}, by being absolute, or through a symlink.
 */
public final class RepoPaths {

  private final Path root;
  private final Path realRoot;

  public RepoPaths(Path repoRoot) throws RenderException {
    this.root = repoRoot.toAbsolutePath().normalize();
    try {
      this.realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new RenderException("repository checkout " + repoRoot + " is not readable: " + e, e);
    }
  }

  public Path root() {
    return realRoot;
  }

  /**
   * Resolves {@code relative} (as written in Git, {@code what} says which field) to a real path
   * inside the repository; the path must exist.
   */
  public Path resolve(String relative, String what) throws RenderException {
    String rel = relative == null || relative.isBlank() ? "." : relative.trim();
    if (rel.startsWith("/") || rel.startsWith("\\") || Path.of(rel).isAbsolute()) {
      throw new RenderException(
          what + " '" + relative + "' is absolute; it must be relative to the repository");
    }
    Path candidate = root.resolve(rel).normalize();
    if (!candidate.startsWith(root)) {
      throw new RenderException(what + " '" + relative + "' escapes the repository (via ..)");
    }
    if (!Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new RenderException(what + " '" + relative + "' does not exist in the repository");
    }
    return requireInside(candidate, what + " '" + relative + "'");
  }

  /** Follows symlinks in {@code path} and refuses it if the target is outside the repository. */
  public Path requireInside(Path path, String what) throws RenderException {
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw new RenderException(what + " cannot be read (dangling symlink?): " + e.getMessage(), e);
    }
    if (!real.startsWith(realRoot)) {
      throw new RenderException(what + " is a symlink that leads outside the repository");
    }
    return real;
  }

  /** The path of {@code file} relative to the repository root, for messages. */
  public String display(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    if (abs.startsWith(realRoot)) {
      return realRoot.relativize(abs).toString();
    }
    if (abs.startsWith(root)) {
      return root.relativize(abs).toString();
    }
    return file.toString();
  }
}
