package dev.flotilla.generators.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Paths inside a Git repository, refusing anything that could point outside it. */
public final class RepoPaths {

  private RepoPaths() {}

  /**
   * True for a relative, '/'-separated path without {@code ..} segments, backslashes or NUL: the
   * only shape a Git tree path (or a pattern over one) may have here.
   */
  public static boolean staysInside(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
      return false;
    }
    if (path.length() >= 2 && path.charAt(1) == ':') {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every directory implied by the file list, as Argo's repo server lists them: the repository root
   * excluded, and directories whose name starts with a dot skipped with everything below.
   */
  public static List<String> directories(List<String> files) {
    TreeSet<String> directories = new TreeSet<>();
    for (String file : files) {
      if (!staysInside(file)) {
        continue;
      }
      int slash = file.indexOf('/');
      while (slash >= 0) {
        String directory = file.substring(0, slash);
        int nameStart = directory.lastIndexOf('/') + 1;
        if (directory.startsWith(".", nameStart) || directory.length() == nameStart) {
          break;
        }
        directories.add(directory);
        slash = file.indexOf('/', slash + 1);
      }
    }
    return new ArrayList<>(directories);
  }

  /** Go's {@code path.Base}. */
  public static String basename(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return ".";
    }
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? trimmed : trimmed.substring(slash + 1);
  }

  /** Go's {@code path.Dir} for the clean relative paths used here. */
  public static String dirname(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "." : path.substring(0, slash);
  }
}
