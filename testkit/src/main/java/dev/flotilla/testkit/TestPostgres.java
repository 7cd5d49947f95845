package dev.flotilla.testkit;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One embedded PostgreSQL per test JVM; every test gets a database of its own on it, so tests never
 * see each other's rows.
 */
public final class TestPostgres {

  private static EmbeddedPostgres server;

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException ignored) {
                      // JVM is exiting.
                    }
                  }));
    }
    return server;
  }

  /** How to reach a fresh, empty database (not yet migrated). */
  public static PgConnectOptions fresh() {
    EmbeddedPostgres pg = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return new PgConnectOptions()
        .setHost("localhost")
        .setPort(pg.getPort())
        .setUser("postgres")
        .setPassword("postgres")
        .setDatabase(name);
  }
}
