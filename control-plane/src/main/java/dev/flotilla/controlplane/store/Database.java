package dev.flotilla.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * Postgres for the control plane: an embedded server whose data survives restarts, or an external
 * one. Migrations run (blocking, through JDBC) before any Vert.x work starts; runtime queries go
 * through the returned vertx-pg-client pool only.
 */
public final class Database implements AutoCloseable {

  /** How often the embedded server is checked for being alive. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  private final EmbeddedPostgresServer embedded;
  private final PgConnectOptions connectOptions;
  private Pool pool;
  private Pool coordinationPool;

  private Database(EmbeddedPostgresServer embedded, PgConnectOptions connectOptions) {
    this.embedded = embedded;
    this.connectOptions = connectOptions;
  }

  /** Starts (or reuses the data of) a durable embedded PostgreSQL under {@code dataDir}. */
  public static Database embedded(Path dataDir) throws IOException {
    return embedded(dataDir, EmbeddedPostgresServer.Durability.DURABLE);
  }

  /**
   * Starts (or reuses the data of) an embedded PostgreSQL under {@code dataDir}, stopping one that
   * a killed control plane left running there, and restarting it should it die.
   */
  public static Database embedded(Path dataDir, EmbeddedPostgresServer.Durability durability)
      throws IOException {
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, durability, WATCH_INTERVAL);
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(pg.port())
            .setUser("postgres")
            .setPassword("postgres")
            .setDatabase("postgres");
    return new Database(pg, options);
  }

  /** Connects to an external server: {@code postgresql://user:pass@host:port/db}. */
  public static Database external(String url) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot parse database URL (expected postgresql://user:pass@host:port/db): "
              + e.getMessage(),
          e);
    }
    return new Database(null, options);
  }

  /** Same server, another database: used by tests so each owns its data. */
  public static Database of(PgConnectOptions options) {
    return new Database(null, options);
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://"
        + connectOptions.getHost()
        + ":"
        + connectOptions.getPort()
        + "/"
        + connectOptions.getDatabase();
  }

  /** Applies pending migrations; blocking. */
  public void migrate() {
    Flyway.configure()
        .dataSource(jdbcUrl(), connectOptions.getUser(), connectOptions.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  public Pool pool(Vertx vertx) {
    if (pool == null) {
      pool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(8).setName("flotilla-pg"))
              .connectingTo(connectOptions)
              .using(vertx)
              .build();
    }
    return pool;
  }

  /**
   * A small pool of its own for what replicas coordinate through (lease renewals, the replica event
   * log): in the main pool these queued behind thousands of status writes and agent resyncs after a
   * commit, so a loaded replica missed its lease renewals, believed it had lost the Git poller's
   * lease and dropped the webhook another replica passed on (issue 13).
   */
  public Pool coordinationPool(Vertx vertx) {
    if (coordinationPool == null) {
      coordinationPool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(2).setName("flotilla-pg-coordination"))
              .connectingTo(connectOptions)
              .using(vertx)
              .build();
    }
    return coordinationPool;
  }

  /** The embedded server, when this database is one. */
  public Optional<EmbeddedPostgresServer> embeddedServer() {
    return Optional.ofNullable(embedded);
  }

  /**
   * Why this process cannot work, or empty while it can: the embedded server died and is being
   * restarted or could not be. An external database being away is a readiness matter, not this.
   */
  public Optional<String> problem() {
    return embedded == null ? Optional.empty() : embedded.problem();
  }

  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  @Override
  public void close() throws IOException {
    if (pool != null) {
      pool.close();
    }
    if (coordinationPool != null) {
      coordinationPool.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
