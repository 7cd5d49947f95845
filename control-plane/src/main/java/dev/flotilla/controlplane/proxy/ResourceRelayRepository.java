package dev.flotilla.controlplane.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parts of agents' answers on their way from the replica holding the agent to the replica that
 * asked ({@code resource_relay}): written with a NOTIFY carrying the request id, read in order and
 * deleted by the asker.
 */
public final class ResourceRelayRepository {

  /** The NOTIFY channel: its payload is the id of the request a part was written for. */
  static final String CHANNEL = "flotilla_resource_parts";

  /** Rows older than this belong to an asker that went away: any replica removes them. */
  static final Duration KEEP = Duration.ofMinutes(10);

  /** A part as stored: its number in the answer and the agent's message, serialised. */
  record Part(int part, byte[] payload) {}

  private final Pool pool;
  private final PgConnectOptions connectOptions;

  public ResourceRelayRepository(Pool pool, PgConnectOptions connectOptions) {
    this.pool = pool;
    this.connectOptions = connectOptions;
  }

  /** Stores a part and wakes the asker up (the NOTIFY is delivered when the row is committed). */
  Future<Void> put(String id, int part, byte[] payload) {
    return pool.preparedQuery(
            "WITH stored AS (INSERT INTO resource_relay (id, part, payload) VALUES ($1, $2, $3)"
                + " ON CONFLICT (id, part) DO NOTHING)"
                + " SELECT pg_notify('"
                + CHANNEL
                + "', $1)")
        .execute(Tuple.of(id, part, Buffer.buffer(payload)))
        .mapEmpty();
  }

  /** The parts of {@code id} numbered {@code from} and later, in order. */
  Future<List<Part>> from(String id, int from) {
    return pool.preparedQuery(
            "SELECT part, payload FROM resource_relay WHERE id = $1 AND part >= $2 ORDER BY part")
        .execute(Tuple.of(id, from))
        .map(
            rows -> {
              List<Part> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new Part(r.getInteger("part"), r.getBuffer("payload").getBytes()));
              }
              return out;
            });
  }

  /** The parts of {@code id} below {@code below} were handed over: they go. */
  Future<Void> consumed(String id, int below) {
    return pool.preparedQuery("DELETE FROM resource_relay WHERE id = $1 AND part < $2")
        .execute(Tuple.of(id, below))
        .mapEmpty();
  }

  /** The request has ended: whatever is left of it goes. */
  Future<Void> forget(String id) {
    return pool.preparedQuery("DELETE FROM resource_relay WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /** Removes the parts of askers that went away. */
  Future<Integer> prune() {
    return pool.preparedQuery(
            "DELETE FROM resource_relay WHERE created_at < now() - $1 * interval '1 millisecond'")
        .execute(Tuple.of(KEEP.toMillis()))
        .map(rows -> rows.rowCount());
  }

  /**
   * LISTENs for written parts, calling {@code ids} with each request id. The connection is retried
   * every half second when it drops (the asker's periodic read covers what is missed meanwhile).
   */
  Listener listen(Vertx vertx, Consumer<String> ids) {
    PgSubscriber subscriber =
        PgSubscriber.subscriber(vertx, new PgConnectOptions(connectOptions))
            .reconnectPolicy(retries -> 500L);
    subscriber.channel(CHANNEL).handler(ids::accept);
    return new Listener(subscriber);
  }

  /** A LISTEN on {@link #CHANNEL}. */
  static final class Listener implements AutoCloseable {
    private final PgSubscriber subscriber;

    private Listener(PgSubscriber subscriber) {
      this.subscriber = subscriber;
    }

    Future<Void> connect() {
      return subscriber.connect();
    }

    @Override
    public void close() {
      subscriber.close();
    }
  }
}
