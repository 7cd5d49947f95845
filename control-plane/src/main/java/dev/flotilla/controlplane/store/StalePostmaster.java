package dev.flotilla.controlplane.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that an earlier control plane left running on its data directory. The
 * embedded server runs in a session of its own, so {@code kill -9} of the control plane leaves it
 * up, holding the data directory: a new start would wait for it in vain. It is stopped first (smart
 * shutdown: its clients died with the old process), then forcibly if it does not go.
 */
final class StalePostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private StalePostmaster() {}

  /** The pid recorded in {@code postmaster.pid}, if the file exists and is readable. */
  static Optional<Long> pidOf(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops the postmaster named by the data directory's pid file when it is alive and is a
   * PostgreSQL process (a pid reused by another program is left alone: PostgreSQL itself then
   * treats the pid file as stale).
   */
  static void stopIfRunning(Path dataDir) throws IOException {
    Optional<ProcessHandle> running =
        pidOf(dataDir)
            .filter(pid -> pid != ProcessHandle.current().pid())
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(StalePostmaster::isPostgres);
    if (running.isEmpty()) {
      return;
    }
    ProcessHandle postmaster = running.get();
    String message =
        "an embedded PostgreSQL left running by an earlier control plane (pid "
            + postmaster.pid()
            + ") still holds "
            + dataDir
            + "; stopping it before starting a new one";
    LOG.warn(message);
    System.err.println("flotilla: " + message);
    postmaster.destroy();
    if (!exited(postmaster, GRACE)) {
      postmaster.destroyForcibly();
      if (!exited(postmaster, GRACE)) {
        throw new IOException(
            "PostgreSQL (pid "
                + postmaster.pid()
                + ") on "
                + dataDir
                + " did not stop; stop it by hand (kill "
                + postmaster.pid()
                + ") and start again");
      }
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    // No command line visible (another user's process): trust the pid file, as pg_ctl does.
    return process
        .info()
        .command()
        .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
        .orElse(true);
  }

  private static boolean exited(ProcessHandle process, Duration within) {
    try {
      process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
