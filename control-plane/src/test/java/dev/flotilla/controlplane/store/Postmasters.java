package dev.flotilla.controlplane.store;

import java.nio.file.Path;

/** Lends the embedded PostgreSQL's pid to tests outside this package (the cli module's). */
public final class Postmasters {

  private Postmasters() {}

  /** The pid of the postmaster that owns {@code dataDir}; fails when none is recorded. */
  public static long pidOf(Path dataDir) {
    return StalePostmaster.pidOf(dataDir)
        .orElseThrow(() -> new IllegalStateException("no postmaster.pid in " + dataDir));
  }
}
