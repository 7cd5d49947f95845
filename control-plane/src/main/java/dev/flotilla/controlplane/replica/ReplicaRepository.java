package dev.flotilla.controlplane.replica;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows replicas coordinate through: who is alive ({@code replicas}), who holds which lease
 * ({@code leases}) and what one replica tells the others ({@code replica_events}). Every expiry is
 * computed with the database's clock, so replicas with skewed clocks still agree.
 */
public final class ReplicaRepository {

  /** The NOTIFY channel that wakes replicas up when an event was appended. */
  public static final String CHANNEL = "flotilla_replicas";

  private final Pool pool;

  public ReplicaRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> register(String id, String host) {
    return pool.preparedQuery(
            "INSERT INTO replicas (id, host) VALUES ($1, $2)"
                + " ON CONFLICT (id) DO UPDATE SET seen_at = now()")
        .execute(Tuple.of(id, host))
        .mapEmpty();
  }

  /** This replica is alive; also forgets replicas silent for more than an hour. */
  public Future<Void> heartbeat(String id) {
    return pool.preparedQuery("UPDATE replicas SET seen_at = now() WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            v ->
                pool.query("DELETE FROM replicas WHERE seen_at < now() - interval '1 hour'")
                    .execute())
        .mapEmpty();
  }

  /** The replicas seen within {@code within}, by id. */
  public Future<List<String>> live(Duration within) {
    return pool.preparedQuery(
            "SELECT id FROM replicas WHERE seen_at > now() - $1 * interval '1 millisecond'"
                + " ORDER BY id")
        .execute(Tuple.of(within.toMillis()))
        .map(rows -> names(rows, "id"));
  }

  /** A clean stop: the others need not wait for this replica's row to age. */
  public Future<Void> remove(String id) {
    return pool.preparedQuery("DELETE FROM replicas WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            v -> pool.preparedQuery("DELETE FROM leases WHERE holder = $1").execute(Tuple.of(id)))
        .mapEmpty();
  }

  /**
   * Takes the lease if it is free or expired, or renews it if {@code holder} holds it; the fencing
   * token then, or empty when another replica holds it. The token grows at each change of holder.
   */
  public Future<Optional<Long>> acquire(String name, String holder, Duration ttl) {
    return pool.preparedQuery(
            "INSERT INTO leases (name, holder, expires_at)"
                + " VALUES ($1, $2, now() + $3 * interval '1 millisecond')"
                + " ON CONFLICT (name) DO UPDATE SET"
                + " holder = EXCLUDED.holder,"
                + " token = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.token"
                + " ELSE leases.token + 1 END,"
                + " acquired_at = CASE WHEN leases.holder = EXCLUDED.holder"
                + " THEN leases.acquired_at ELSE now() END,"
                + " expires_at = EXCLUDED.expires_at"
                + " WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()"
                + " RETURNING token")
        .execute(Tuple.of(name, holder, ttl.toMillis()))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Long>empty()
                    : Optional.of(rows.iterator().next().getLong("token")));
  }

  /** Gives the lease up now (others need not wait for it to expire). */
  public Future<Void> release(String name, String holder) {
    return pool.preparedQuery(
            "UPDATE leases SET expires_at = now() WHERE name = $1 AND holder = $2")
        .execute(Tuple.of(name, holder))
        .mapEmpty();
  }

  /**
   * Appends an event and wakes the other replicas, in one statement: the sequence row is locked
   * until commit, so events commit in sequence order, and one statement holds that lock only while
   * the database runs it. (As a transaction of four round trips it was held while a loaded replica
   * got round to its next step, and every other replica's appends queued behind it, each holding a
   * connection.)
   */
  public Future<Long> append(String origin, ReplicaEvent event) {
    return pool.preparedQuery(
            "WITH next AS (UPDATE replica_event_seq SET last = last + 1 RETURNING last),"
                + " added AS (INSERT INTO replica_events (seq, origin, kind, clusters, names,"
                + " detail) SELECT last, $1, $2, $3, $4, $5 FROM next RETURNING seq)"
                + " SELECT seq, pg_notify($6, seq::text) FROM added")
        .execute(
            Tuple.of(
                origin,
                event.kind().name(),
                event.clusters().toArray(String[]::new),
                event.names().toArray(String[]::new),
                event.detail(),
                CHANNEL))
        .map(rows -> rows.iterator().next().getLong("seq"));
  }

  /** The newest sequence number handed out (a starting replica reads from there). */
  public Future<Long> lastSeq() {
    return pool.query("SELECT last FROM replica_event_seq")
        .execute()
        .map(rows -> rows.iterator().next().getLong("last"));
  }

  /** Events after {@code seq} that others appended, oldest first, at most {@code limit}. */
  public Future<List<ReplicaEvent.Stored>> after(long seq, String self, int limit) {
    return pool.preparedQuery(
            "SELECT seq, origin, kind, clusters, names, detail,"
                // How long ago it was written (database clock), for the dispatch-lag log.
                + " (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint AS age"
                + " FROM replica_events"
                + " WHERE seq > $1 ORDER BY seq LIMIT $2")
        .execute(Tuple.of(seq, limit))
        .map(
            rows -> {
              List<ReplicaEvent.Stored> out = new ArrayList<>();
              for (Row r : rows) {
                ReplicaEvent.Kind kind = ReplicaEvent.Kind.parse(r.getString("kind"));
                out.add(
                    new ReplicaEvent.Stored(
                        r.getLong("seq"),
                        r.getString("origin").equals(self),
                        r.getLong("age"),
                        kind == null
                            ? null
                            : new ReplicaEvent(
                                kind,
                                List.of(r.getArrayOfStrings("clusters")),
                                List.of(r.getArrayOfStrings("names")),
                                r.getString("detail"))));
              }
              return out;
            });
  }

  /** Forgets events older than {@code age}: every live replica has read them long ago. */
  public Future<Integer> prune(Duration age) {
    return pool.preparedQuery(
            "DELETE FROM replica_events WHERE created_at < now() - $1 * interval '1 millisecond'")
        .execute(Tuple.of(age.toMillis()))
        .map(rows -> rows.rowCount());
  }

  private static List<String> names(Iterable<Row> rows, String column) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getString(column)));
    return out;
  }
}
