package dev.flotilla.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads PostgreSQL's own counters: statements executed ({@code pg_stat_statements}, when the
 * extension is loaded) and transactions ({@code pg_stat_database}, always there). Two samples give
 * a rate; the bench's own few queries are in it too, which is noise at these rates.
 */
final class PostgresStats implements AutoCloseable {

  /** Counters at one moment; {@code statements} is -1 when pg_stat_statements is unavailable. */
  record Sample(long nanos, long statements, long transactions) {}

  private final Connection connection;
  private boolean statementsAvailable = true;

  private PostgresStats(Connection connection) {
    this.connection = connection;
  }

  /**
   * Connects; with {@code createExtension} (a database the bench owns) creates the extension view
   * first.
   */
  static PostgresStats connect(
      String jdbcUrl, String user, String password, boolean createExtension) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, user, password);
    if (createExtension) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      }
    }
    return new PostgresStats(c);
  }

  /**
   * A JDBC URL, user and password from {@code postgresql://user:pass@host:port/db} (the server's
   * --db-url form).
   */
  static String[] fromServerUrl(String url) {
    java.net.URI uri = java.net.URI.create(url);
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo();
    String[] parts = userInfo.split(":", 2);
    String user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
    String password =
        parts.length > 1
            ? java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8)
            : "";
    String jdbc =
        "jdbc:postgresql://"
            + uri.getHost()
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + uri.getRawPath()
            + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    return new String[] {jdbc, user, password};
  }

  Sample sample() throws SQLException {
    long statements = -1;
    if (statementsAvailable) {
      try (Statement s = connection.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                      + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
        r.next();
        statements = r.getLong(1);
      } catch (SQLException e) {
        // Not loaded on this server (shared_preload_libraries): transactions only from now on.
        statementsAvailable = false;
      }
    }
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
      r.next();
      return new Sample(System.nanoTime(), statements, r.getLong(1));
    }
  }

  /** Zeroes the statement counters (a database the bench owns), to see one phase's statements. */
  void resetStatements() {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    } catch (SQLException e) {
      statementsAvailable = false;
    }
  }

  /** The {@code n} statements called most since the last reset, as "calls ms query" lines. */
  java.util.List<String> top(int n) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    if (!statementsAvailable) {
      return lines;
    }
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT calls, round(total_exec_time), left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                    + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database()) ORDER BY calls DESC LIMIT "
                    + n)) {
      while (r.next()) {
        lines.add(
            String.format("%8d calls %7d ms  %s", r.getLong(1), r.getLong(2), r.getString(3)));
      }
    } catch (SQLException e) {
      lines.add("(cannot read pg_stat_statements: " + e.getMessage() + ")");
    }
    return lines;
  }

  /** Per second between two samples; negative when a counter is unavailable. */
  static double statementsPerSecond(Sample from, Sample to) {
    if (from.statements() < 0 || to.statements() < 0) {
      return -1;
    }
    return (to.statements() - from.statements()) / seconds(from, to);
  }

  static double transactionsPerSecond(Sample from, Sample to) {
    return (to.transactions() - from.transactions()) / seconds(from, to);
  }

  private static double seconds(Sample from, Sample to) {
    return Math.max(1e-3, (to.nanos() - from.nanos()) / 1e9);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
