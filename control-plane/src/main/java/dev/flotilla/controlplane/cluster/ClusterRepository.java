package dev.flotilla.controlplane.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Clusters in Postgres. */
public final class ClusterRepository {

  private static final String COLUMNS =
      "name, server, labels, annotations, created_at, last_seen_at, agent_version, connected,"
          + " agent_health, agent_health_message, stream_problem, stream_problem_at";

  /** How long a replica that stopped writing its row still counts as holding its agents. */
  private static final long REPLICA_ALIVE_MS = 9_000;

  private final Pool pool;
  private final String replica;

  public ClusterRepository(Pool pool) {
    this(pool, "local");
  }

  /**
   * @param replica the id of this control-plane replica, recorded as the holder of the streams of
   *     the agents connected to it
   */
  public ClusterRepository(Pool pool, String replica) {
    this.pool = pool;
    this.replica = replica;
  }

  /** Registers a cluster; fails with {@link ClusterExistsException} when the name is taken. */
  public Future<Void> insert(
      String name,
      String server,
      Map<String, String> labels,
      Map<String, String> annotations,
      String tokenHash) {
    return pool.preparedQuery(
            "INSERT INTO clusters (name, server, labels, annotations, token_hash)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                name,
                server,
                new JsonObject(new LinkedHashMap<>(labels)),
                new JsonObject(new LinkedHashMap<>(annotations)),
                tokenHash))
        .<Void>mapEmpty()
        .recover(
            e ->
                e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? Future.failedFuture(new ClusterExistsException(name))
                    : Future.failedFuture(e));
  }

  public Future<List<Cluster>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM clusters ORDER BY name")
        .execute()
        .map(rows -> rows.stream().map(ClusterRepository::toCluster).toList());
  }

  public Future<Optional<Cluster>> get(String name) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM clusters WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(toCluster(rows.iterator().next())));
  }

  /** The stored token hash of a cluster whose token is not revoked. */
  public Future<Optional<String>> activeTokenHash(String name) {
    return pool.preparedQuery(
            "SELECT token_hash FROM clusters WHERE name = $1 AND NOT token_revoked")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString(0)));
  }

  /** Replaces a cluster's labels and annotations; false when there is no such cluster. */
  public Future<Boolean> updateMetadata(
      String name, Map<String, String> labels, Map<String, String> annotations) {
    return pool.preparedQuery("UPDATE clusters SET labels = $2, annotations = $3 WHERE name = $1")
        .execute(
            Tuple.of(
                name,
                new JsonObject(new LinkedHashMap<>(labels)),
                new JsonObject(new LinkedHashMap<>(annotations))))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> revokeToken(String name) {
    return pool.preparedQuery("UPDATE clusters SET token_revoked = TRUE WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> rotateToken(String name, String tokenHash) {
    return pool.preparedQuery(
            "UPDATE clusters SET token_hash = $2, token_revoked = FALSE WHERE name = $1")
        .execute(Tuple.of(name, tokenHash))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM clusters WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Void> markConnected(String name, String agentVersion, boolean connected) {
    // A reconnected agent is no longer silent; its first heartbeat says how it is. Its stream
    // ending here does not disconnect it when it is connected to another replica by now.
    return pool.preparedQuery(
            "UPDATE clusters SET connected = $2, agent_version = COALESCE($3, agent_version),"
                + " connected_replica = CASE WHEN $2 THEN $4 ELSE NULL END,"
                + " last_seen_at = now(), agent_health_message = CASE WHEN $2"
                + " AND agent_health = 'Unknown' THEN '' ELSE agent_health_message END"
                + " WHERE name = $1 AND ($2 OR connected_replica IS NULL OR connected_replica = $4)")
        .execute(Tuple.of(name, connected, agentVersion, replica))
        .mapEmpty();
  }

  /** Whether the cluster's agent holds a stream to another replica that is alive. */
  public Future<Boolean> connectedElsewhere(String name) {
    return pool.preparedQuery(
            "SELECT 1 FROM clusters c JOIN replicas r ON r.id = c.connected_replica"
                + " WHERE c.name = $1 AND c.connected AND c.connected_replica <> $2"
                + " AND r.seen_at > now() - $3 * interval '1 millisecond'")
        .execute(Tuple.of(name, replica, REPLICA_ALIVE_MS))
        .map(rows -> rows.size() > 0);
  }

  /** What the cluster's agent reported it could not take; null {@code problem} clears it. */
  public Future<Void> recordStreamProblem(String name, String problem, OffsetDateTime at) {
    return pool.preparedQuery(
            "UPDATE clusters SET stream_problem = $2, stream_problem_at = $3 WHERE name = $1")
        .execute(Tuple.of(name, problem, problem == null ? null : at))
        .mapEmpty();
  }

  public Future<Void> touch(String name) {
    return pool.preparedQuery("UPDATE clusters SET last_seen_at = now() WHERE name = $1")
        .execute(Tuple.of(name))
        .mapEmpty();
  }

  /** A heartbeat: the agent is alive, and says how it is ({@link AgentHealthNames}). */
  public Future<Void> heartbeat(String name, String health, String message) {
    return pool.preparedQuery(
            "UPDATE clusters SET last_seen_at = now(), agent_health = $2, agent_health_message = $3"
                + " WHERE name = $1")
        .execute(Tuple.of(name, health, message))
        .mapEmpty();
  }

  /**
   * At start: no agent is connected to a process that has just started, whatever the last one
   * stored before it stopped (or crashed).
   */
  public Future<Integer> markAllDisconnected() {
    // Those connected to another replica that is alive stay connected.
    return pool.preparedQuery(
            "UPDATE clusters c SET connected = FALSE, connected_replica = NULL WHERE connected"
                + " AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.id = c.connected_replica"
                + " AND r.id <> $1 AND r.seen_at > now() - $2 * interval '1 millisecond')")
        .execute(Tuple.of(replica, REPLICA_ALIVE_MS))
        .map(rows -> rows.rowCount());
  }

  /**
   * The agent of {@code name} has been silent past its deadline: the cluster is disconnected, its
   * health Unknown, and every Application on it Unknown with {@code message} (the revision last
   * reported stays). Returns the Applications whose status changed.
   */
  public Future<List<String>> markSilent(String name, String message) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE clusters SET connected = FALSE, agent_health = 'Unknown',"
                        + " agent_health_message = $2 WHERE name = $1")
                .execute(Tuple.of(name, message))
                .compose(ignored -> markApplicationsUnknown(tx, name, message)));
  }

  /**
   * What the agent of {@code name} reported about its Applications can no longer be trusted (it is
   * wedged): every one is Unknown with {@code message}, the revision last reported kept, until the
   * agent reports again. Returns the Applications whose status changed.
   */
  public Future<List<String>> markApplicationsUnknown(String name, String message) {
    return markApplicationsUnknown(pool, name, message);
  }

  private static Future<List<String>> markApplicationsUnknown(
      io.vertx.sqlclient.SqlClient client, String cluster, String message) {
    return client
        .preparedQuery(
            "UPDATE application_status s SET sync_status = 'Unknown', health = 'Unknown',"
                + " message = $2 FROM applications a WHERE a.name = s.application"
                + " AND a.cluster = $1 AND (s.sync_status <> 'Unknown' OR s.health <> 'Unknown'"
                + " OR s.message <> $2) RETURNING s.application")
        .execute(Tuple.of(cluster, message))
        .map(
            rows -> {
              List<String> changed = new java.util.ArrayList<>();
              rows.forEach(r -> changed.add(r.getString(0)));
              return changed;
            });
  }

  private static Cluster toCluster(Row row) {
    return new Cluster(
        row.getString("name"),
        row.getString("server"),
        stringMap(row.getJsonObject("labels")),
        stringMap(row.getJsonObject("annotations")),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("last_seen_at"),
        row.getString("agent_version"),
        row.getBoolean("connected"),
        row.getString("agent_health"),
        row.getString("agent_health_message"),
        row.getString("stream_problem"),
        row.getOffsetDateTime("stream_problem_at"));
  }

  private static Map<String, String> stringMap(JsonObject json) {
    Map<String, String> map = new java.util.TreeMap<>();
    if (json != null) {
      json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return map;
  }
}
