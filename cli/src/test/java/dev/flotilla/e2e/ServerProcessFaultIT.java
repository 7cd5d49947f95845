package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.Postmasters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code flotilla server} process and its embedded PostgreSQL under faults: the server killed
 * with SIGKILL (its PostgreSQL lives on), its PostgreSQL lost for good. Faults met by an in-process
 * control plane are in control-plane's EmbeddedPostgresFaultIT.
 */
class ServerProcessFaultIT {

  @TempDir Path home;

  @Test
  void restartAfterKillMinus9StopsTheOrphanedPostgresAndKeepsTheData() throws Exception {
    Process server = startServerProcess(home);
    Path pgDir = home.resolve("postgres");
    long orphan = Postmasters.pidOf(pgDir);

    server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    // The scenario the issue describes: the control plane is gone, its PostgreSQL is not.
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    try (Database db = Database.embedded(pgDir)) {
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      // The first start's data (the bootstrap admin) is still there.
      assertThat(query(db, "SELECT count(*) FROM users")).isEqualTo("1");
    }
  }

  @Test
  void aServerStartedOnTheSameHomeAfterKillMinus9RecoversWithAClearMessage() throws Exception {
    ServerProcess first = startServer(home);
    long orphan = Postmasters.pidOf(home.resolve("postgres"));
    first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    ServerProcess second = startServer(home);
    try {
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(second.output())
          .anyMatch(
              l ->
                  l.contains(
                      "an embedded PostgreSQL left running by an earlier control plane (pid "
                          + orphan
                          + ")"))
          .anyMatch(l -> l.startsWith("flotilla server: REST"));
    } finally {
      stop(second);
    }
  }

  @Test
  void sigtermStopsTheServerWithin10SecondsWithItsPostgresAndNoStackTrace() throws Exception {
    ServerProcess server = startServer(home);
    long postmaster = Postmasters.pidOf(home.resolve("postgres"));

    // SIGTERM through the handle: Process.destroy() would also close our end of its output.
    server.process().toHandle().destroy();

    assertThat(server.process().waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(postmaster).map(p -> !p.isAlive()).orElse(true));
    // The reader thread may still be draining the pipe.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(server.output()).contains("flotilla server: stopping"));
    assertNoStackTrace(server.output());
  }

  /** A stack trace in a log has "at pkg.Class.method(...)" lines and an exception's name. */
  static void assertNoStackTrace(List<String> output) {
    assertThat(output)
        .as("shutdown output:%n%s", String.join("\n", output))
        .noneMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)"))
        .noneMatch(l -> l.contains("Exception:") || l.contains("cannot record"));
  }

  private static void stop(ServerProcess server) throws InterruptedException {
    server.process().destroy();
    if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
      server.process().destroyForcibly();
    }
  }

  @Test
  void serverProcessExitsWithStatus3WhenItsPostgresDiesForGood() throws Exception {
    Process server = startServerProcess(home);
    Path pgDir = home.resolve("postgres");
    long postmaster = Postmasters.pidOf(pgDir);
    try {
      Files.delete(pgDir.resolve("PG_VERSION"));
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server exited").isTrue();
      assertThat(server.exitValue()).isEqualTo(3);
    } finally {
      server.destroyForcibly();
    }
  }

  private static String query(Database db, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                db.jdbcUrl(), db.connectOptions().getUser(), db.connectOptions().getPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A server process and every line it printed so far. */
  record ServerProcess(Process process, ConcurrentLinkedQueue<String> lines) {
    List<String> output() {
      return List.copyOf(lines);
    }
  }

  private static Process startServerProcess(Path home) throws IOException {
    return startServer(home).process();
  }

  /** {@code flotilla server} in a JVM of its own, returned once it serves. */
  static ServerProcess startServer(Path home) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.flotilla.cli.FlotillaCli",
                "server",
                "--http-port",
                "0",
                "--grpc-port",
                "0")
            .redirectErrorStream(true);
    builder.environment().put("FLOTILLA_HOME", home.toString());
    Process process = builder.start();
    ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process went away.
              }
            },
            "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !process.isAlive()
                      || lines.stream().anyMatch(l -> l.startsWith("flotilla server: REST")));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("server exited: " + String.join("\n", List.copyOf(lines)));
    }
    return new ServerProcess(process, lines);
  }
}
