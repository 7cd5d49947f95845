package dev.flotilla.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL under faults: PostgreSQL itself killed, its data lost; and its durability
 * settings. The same faults met by a whole {@code flotilla server} process (killed with SIGKILL,
 * its PostgreSQL lost for good) are in the cli module's ServerProcessFaultIT.
 */
class EmbeddedPostgresFaultIT {

  @TempDir Path home;
  private final HttpClient http = HttpClient.newHttpClient();

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
}
