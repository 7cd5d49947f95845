package dev.flotilla.controlplane.replica;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas' event log, read in order. A NOTIFY on {@link ReplicaRepository#CHANNEL} (through a
 * reconnecting {@link PgSubscriber}) makes a replica read at once; a timer reads anyway every
 * {@link #CATCH_UP}, and so does every (re)subscription, so a lost notification or a listener that
 * was reconnecting only delays an event. Events this replica wrote itself are skipped (it acted on
 * them when it wrote them).
 */
public final class ReplicaBus implements AutoCloseable {

  /** How often the log is read without a notification. */
  static final Duration CATCH_UP = Duration.ofSeconds(2);

  /** Most events read at once; a longer backlog is read in several rounds. */
  static final int BATCH = 500;

  /** Changed Application names are gathered this long, then written as one event. */
  static final Duration GATHER = Duration.ofMillis(50);

  /** Most names in one event; a larger burst is written as several. */
  static final int MAX_NAMES = 500;

  /** How long events are kept: every live replica has read them long before. */
  static final Duration KEEP = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaBus.class);

  private final Vertx vertx;
  private final ReplicaRepository repository;
  private final String self;
  private final Consumer<ReplicaEvent> handler;
  private final PgSubscriber subscriber;
  private long timer = -1;

  /** Guarded by {@code this}. */
  private long last;

  /** Guarded by {@code this}: a read is running, and whether another was asked for meanwhile. */
  private boolean reading;

  private boolean readAgain;

  /** Guarded by {@code this}: Application names changed here, not yet written. */
  private Set<String> changed = new TreeSet<>();

  private volatile boolean closed;

  public ReplicaBus(
      Vertx vertx,
      PgConnectOptions connectOptions,
      ReplicaRepository repository,
      String self,
      Consumer<ReplicaEvent> handler) {
    this.vertx = vertx;
    this.repository = repository;
    this.self = self;
    this.handler = handler;
    this.subscriber =
        PgSubscriber.subscriber(vertx, new PgConnectOptions(connectOptions))
            // Forever, every half second: the timer covers what is missed meanwhile.
            .reconnectPolicy(retries -> 500L);
    subscriber
        .channel(ReplicaRepository.CHANNEL)
        .subscribeHandler(v -> readNew())
        .handler(payload -> readNew());
  }

  /** Reads from the current end of the log on; what was written before concerned no one here. */
  public Future<Void> start() {
    return repository
        .lastSeq()
        .map(
            seq -> {
              synchronized (this) {
                last = seq;
              }
              timer = vertx.setPeriodic(CATCH_UP.toMillis(), id -> readNew());
              connect();
              return null;
            });
  }

  private void connect() {
    if (closed) {
      return;
    }
    subscriber
        .connect()
        .onFailure(
            e -> {
              LOG.warn(
                  "cannot LISTEN for other replicas (reading every {}): {}",
                  CATCH_UP,
                  e.toString());
              vertx.setTimer(CATCH_UP.toMillis(), id -> connect());
            });
  }

  /** Writes an event for the other replicas; fails when the database cannot be reached. */
  public Future<Void> publish(ReplicaEvent event) {
    return repository.append(self, event).mapEmpty();
  }

  /** Tells the other replicas that these Applications changed, gathered over {@link #GATHER}. */
  public void applicationChanged(String name) {
    synchronized (this) {
      boolean first = changed.isEmpty();
      changed.add(name);
      if (!first) {
        return;
      }
    }
    vertx.setTimer(GATHER.toMillis(), id -> flushChanged());
  }

  private void flushChanged() {
    List<String> names;
    synchronized (this) {
      names = List.copyOf(changed);
      changed = new TreeSet<>();
    }
    for (int i = 0; i < names.size(); i += MAX_NAMES) {
      List<String> part = names.subList(i, Math.min(names.size(), i + MAX_NAMES));
      publish(ReplicaEvent.applicationsChanged(part))
          .onFailure(e -> LOG.warn("cannot tell other replicas of changed Applications", e));
    }
  }

  /** Forgets old events; any replica may do it, more than one at once is harmless. */
  public Future<Integer> prune() {
    return repository.prune(KEEP);
  }

  private void readNew() {
    long from;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      readAgain = false;
      from = last;
    }
    repository
        .after(from, self, BATCH)
        .onComplete(
            ar -> {
              boolean more;
              if (ar.succeeded()) {
                for (ReplicaEvent.Stored stored : ar.result()) {
                  if (!stored.own() && stored.event() != null) {
                    logLag(stored);
                    deliver(stored.event());
                  }
                }
              } else {
                LOG.debug("cannot read the replica event log", ar.cause());
              }
              synchronized (this) {
                if (ar.succeeded() && !ar.result().isEmpty()) {
                  last = ar.result().get(ar.result().size() - 1).seq();
                }
                more = readAgain || (ar.succeeded() && ar.result().size() == BATCH);
                reading = false;
              }
              if (more) {
                readNew();
              }
            });
  }

  /** How long agents elsewhere waited for this replica to learn of a change (dispatch lag). */
  private static void logLag(ReplicaEvent.Stored stored) {
    ReplicaEvent.Kind kind = stored.event().kind();
    if (kind == ReplicaEvent.Kind.RESYNC || kind == ReplicaEvent.Kind.RESYNC_ALL) {
      LOG.info(
          "{} of {} clusters from another replica, read {} ms after it was written",
          kind,
          kind == ReplicaEvent.Kind.RESYNC ? stored.event().clusters().size() : "all",
          stored.ageMillis());
    } else {
      LOG.debug(
          "{} from another replica, read {} ms after it was written", kind, stored.ageMillis());
    }
  }

  private void deliver(ReplicaEvent event) {
    try {
      handler.accept(event);
    } catch (RuntimeException e) {
      // One event that cannot be handled must not stop those after it.
      LOG.warn("cannot handle {} from another replica", event.kind(), e);
    }
  }

  /** The last sequence number read (tests). */
  synchronized long lastRead() {
    return last;
  }

  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    subscriber.close();
  }
}
