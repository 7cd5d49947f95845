package dev.flotilla.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pid of an embedded PostgreSQL, for tests that kill it. Read here from PostgreSQL's own pid
 * file (its first line is the postmaster's pid) rather than borrowed from the control plane's
 * package-private code, so that no module's tests need another module's test classes.
 */
public final class Postmasters {

  private Postmasters() {}

  /** The pid of the postmaster that owns {@code dataDir}; fails when none is recorded. */
  public static long pidOf(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (!lines.isEmpty()) {
        return Long.parseLong(lines.get(0).trim());
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("no postmaster pid in " + pidFile, e);
    }
    throw new IllegalStateException("no postmaster pid in " + pidFile);
  }
}
