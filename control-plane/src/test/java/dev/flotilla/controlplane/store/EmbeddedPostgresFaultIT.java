package dev.flotilla.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL under faults: the control plane killed with SIGKILL (its PostgreSQL lives
 * on), PostgreSQL itself killed, its data lost; and its durability settings.
 */
class EmbeddedPostgresFaultIT {

  @TempDir Path home;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void restartAfterKillMinus9StopsTheOrphanedPostgresAndKeepsTheData() throws Exception {
    Process server = startServerProcess(home);
    Path pgDir = home.resolve("postgres");
    long orphan = StalePostmaster.pidOf(pgDir).orElseThrow();

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
  void serverProcessExitsWithStatus3WhenItsPostgresDiesForGood() throws Exception {
    Process server = startServerProcess(home);
    Path pgDir = home.resolve("postgres");
    long postmaster = StalePostmaster.pidOf(pgDir).orElseThrow();
    try {
      Files.delete(pgDir.resolve("PG_VERSION"));
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server exited").isTrue();
      assertThat(server.exitValue()).isEqualTo(3);
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void killedPostgresIsRestartedAndTheApiRecovers() throws Exception {
    try (ControlPlane cp = ControlPlane.start(localConfig(home))) {
      String token = Files.readString(home.resolve("admin.token")).strip();
      assertThat(get(cp, "/api/v1/clusters", token).statusCode()).isEqualTo(200);

      long postmaster = StalePostmaster.pidOf(home.resolve("postgres")).orElseThrow();
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(get(cp, "/api/v1/clusters", token).statusCode()).isEqualTo(200);
                assertThat(get(cp, "/healthz", null).statusCode()).isEqualTo(200);
                assertThat(get(cp, "/readyz", null).statusCode()).isEqualTo(200);
              });
      assertThat(StalePostmaster.pidOf(home.resolve("postgres"))).isNotEqualTo(postmaster);
    }
  }

  @Test
  void postgresThatCannotBeRestartedMakesHealthzFailAndTellsTheServer() throws Exception {
    try (ControlPlane cp = ControlPlane.start(localConfig(home))) {
      AtomicBoolean told = new AtomicBoolean();
      cp.onDatabaseFailure(() -> told.set(true));
      Path pgDir = home.resolve("postgres");
      long postmaster = StalePostmaster.pidOf(pgDir).orElseThrow();

      Files.delete(pgDir.resolve("PG_VERSION"));
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

      await().atMost(Duration.ofSeconds(60)).untilTrue(told);
      HttpResponse<String> health = get(cp, "/healthz", null);
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("could not be restarted").contains("PG_VERSION");
      // Nothing initialised an empty database in its place.
      assertThat(pgDir.resolve("PG_VERSION")).doesNotExist();
    }
  }

  @Test
  void durableByDefaultFastOnlyWhenAskedFor() throws Exception {
    try (Database durable = Database.embedded(home.resolve("durable"))) {
      assertThat(query(durable, "SHOW fsync")).isEqualTo("on");
      assertThat(query(durable, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(query(durable, "SHOW full_page_writes")).isEqualTo("on");
    }
    try (Database fast =
        Database.embedded(home.resolve("fast"), EmbeddedPostgresServer.Durability.FAST)) {
      assertThat(query(fast, "SHOW fsync")).isEqualTo("off");
      assertThat(query(fast, "SHOW synchronous_commit")).isEqualTo("off");
    }
    assertThat(ControlPlaneConfig.defaults(home).embeddedDurability())
        .isEqualTo(EmbeddedPostgresServer.Durability.DURABLE);
  }

  private static ControlPlaneConfig localConfig(Path home) {
    return ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0);
  }

  private HttpResponse<String> get(ControlPlane cp, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

  /** {@code flotilla server} in a JVM of its own, returned once it serves. */
  private static Process startServerProcess(Path home) throws IOException {
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
    return process;
  }
}
