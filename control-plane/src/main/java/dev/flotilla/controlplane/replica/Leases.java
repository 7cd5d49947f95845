package dev.flotilla.controlplane.replica;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases this replica holds, in the {@code leases} table. Singletons (the Git poller, audit
 * retention, ...) are spread over the live replicas: each replica takes at most its fair share of
 * the free ones, lets one expire at each renewal while it holds more than its share (so a replica
 * just started gets work), and takes over a dead replica's within {@link #TTL} plus one {@link
 * #RENEW}. Work leases (one ApplicationSet's generation) are taken for as long as the work runs.
 *
 * <p>A holder treats a lease as lost as soon as it could not renew it for {@link #TTL} minus one
 * {@link #RENEW} of its own monotonic clock: it stops before the database lets another replica take
 * it, so the same work never runs on two replicas at once.
 */
public final class Leases implements AutoCloseable {

  /** How long a lease lasts without renewal (database time). */
  public static final Duration TTL = Duration.ofSeconds(9);

  /** How often held leases are renewed and free singletons looked for. */
  public static final Duration RENEW = Duration.ofSeconds(3);

  /** How often a replica waiting for a work lease asks again. */
  static final Duration WAIT_RETRY = Duration.ofMillis(200);

  /** How long a replica waits for a work lease before giving up. */
  static final Duration WAIT_MAX = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  private final Vertx vertx;
  private final ReplicaRepository repository;
  private final String holder;
  private final Set<String> singletons = new TreeSet<>();
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private long timer = -1;
  private volatile boolean closed;
  private volatile Consumer<String> taken = name -> {};

  /** A lease held: its fencing token and when it was last renewed (monotonic). */
  private record Held(long token, long renewedNanos, boolean singleton) {}

  public Leases(Vertx vertx, ReplicaRepository repository, String holder) {
    this(vertx, repository, holder, System::nanoTime);
  }

  Leases(Vertx vertx, ReplicaRepository repository, String holder, LongSupplier nanos) {
    this.vertx = vertx;
    this.repository = repository;
    this.holder = holder;
    this.nanos = nanos;
  }

  /** Declares a singleton this replica may run; call before {@link #start}. */
  public synchronized Leases singleton(String name) {
    singletons.add(name);
    return this;
  }

  /**
   * Runs {@code listener} (on the event loop, must not block) each time this replica starts to hold
   * a singleton: taken free, or renewed after it had gone stale here (while stale, {@link #holds}
   * said no, and work asked for meanwhile may have been turned away).
   */
  public Leases onTaken(Consumer<String> listener) {
    this.taken = listener;
    return this;
  }

  /** Renews and looks for free singletons now, then every {@link #RENEW}. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(RENEW.toMillis(), id -> tick());
    return tick();
  }

  /** Whether this replica holds {@code name} now (and may do its work). */
  public boolean holds(String name) {
    Held h = held.get(name);
    return h != null && fresh(h);
  }

  /** The singletons this replica holds now, sorted. */
  public Set<String> ownedSingletons() {
    Set<String> out = new TreeSet<>();
    held.forEach(
        (name, h) -> {
          if (h.singleton() && fresh(h)) {
            out.add(name);
          }
        });
    return out;
  }

  /** Every singleton declared, sorted (for metrics). */
  public synchronized Set<String> singletons() {
    return new TreeSet<>(singletons);
  }

  /** The number of work leases held now (metrics). */
  public int workLeases() {
    return (int) held.values().stream().filter(h -> !h.singleton() && fresh(h)).count();
  }

  /**
   * Takes a work lease for as long as the work runs (it is renewed meanwhile); the token, or empty
   * when another replica holds it.
   */
  public Future<Optional<Long>> tryAcquire(String name) {
    long before = nanos.getAsLong();
    return repository
        .acquire(name, holder, TTL)
        .map(
            token -> {
              token.ifPresent(t -> held.put(name, new Held(t, before, false)));
              return token;
            });
  }

  /**
   * Runs {@code work} under the work lease {@code name}: at once when it is free, else when the
   * replica holding it lets go (asked again every {@link #WAIT_RETRY}, on a timer: no thread
   * waits). Fails after {@link #WAIT_MAX} of waiting, naming the lease.
   */
  public <T> Future<T> exclusively(String name, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    attempt(name, work, done, nanos.getAsLong() + WAIT_MAX.toNanos());
    return done.future();
  }

  private <T> void attempt(String name, Supplier<Future<T>> work, Promise<T> done, long until) {
    tryAcquire(name)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                done.fail(ar.cause());
              } else if (ar.result().isPresent()) {
                Future<T> ran;
                try {
                  ran = work.get();
                } catch (RuntimeException e) {
                  ran = Future.failedFuture(e);
                }
                ran.onComplete(r -> release(name).onComplete(v -> done.handle(r)));
              } else if (closed || nanos.getAsLong() > until) {
                done.fail(
                    new IllegalStateException(
                        "'" + name + "' is held by another control-plane replica; try again"));
              } else {
                vertx.setTimer(WAIT_RETRY.toMillis(), id -> attempt(name, work, done, until));
              }
            });
  }

  /** Gives a lease back (the work is done). */
  public Future<Void> release(String name) {
    held.remove(name);
    return repository.release(name, holder);
  }

  private boolean fresh(Held h) {
    return nanos.getAsLong() - h.renewedNanos() < TTL.minus(RENEW).toNanos();
  }

  private Future<Void> tick() {
    if (closed) {
      return Future.succeededFuture();
    }
    List<Future<?>> work = new ArrayList<>();
    for (Map.Entry<String, Held> e : held.entrySet()) {
      work.add(renew(e.getKey(), e.getValue().singleton()));
    }
    return Future.join(work)
        .transform(ignored -> repository.live(TTL))
        .compose(this::balance)
        .recover(
            e -> {
              LOG.warn("cannot renew leases: {}", e.toString());
              return Future.succeededFuture();
            });
  }

  private Future<Void> renew(String name, boolean singleton) {
    long before = nanos.getAsLong();
    return repository
        .acquire(name, holder, TTL)
        .map(
            token -> {
              if (token.isPresent()) {
                Held was = held.put(name, new Held(token.get(), before, singleton));
                if (singleton && was != null && !fresh(was)) {
                  LOG.info("lease '{}' renewed after it had gone stale here", name);
                  taken(name);
                }
              } else if (held.remove(name) != null) {
                LOG.warn("lease '{}' was taken over by another replica", name);
              }
              return null;
            });
  }

  /** Takes free singletons up to this replica's fair share; gives one back above it. */
  private Future<Void> balance(List<String> live) {
    Set<String> all = singletons();
    int replicas = Math.max(1, live.contains(holder) ? live.size() : live.size() + 1);
    int share = (all.size() + replicas - 1) / replicas;
    Set<String> owned = ownedSingletons();
    if (owned.size() > share) {
      // Not released: it expires while the work under way here ends, so the two never overlap.
      String extra = owned.iterator().next();
      held.remove(extra);
      LOG.info("leaving lease '{}' to another replica ({} replicas live)", extra, replicas);
      return Future.succeededFuture();
    }
    List<Future<?>> tries = new ArrayList<>();
    if (owned.size() < share) {
      for (String name : all) {
        if (owned.contains(name)) {
          continue;
        }
        long before = nanos.getAsLong();
        tries.add(
            repository
                .acquire(name, holder, TTL)
                .onSuccess(
                    token ->
                        token.ifPresent(
                            t -> {
                              LOG.info("this replica now runs '{}' (token {})", name, t);
                              held.put(name, new Held(t, before, true));
                              taken(name);
                            })));
      }
    }
    return Future.join(tries).mapEmpty();
  }

  private void taken(String name) {
    try {
      taken.accept(name);
    } catch (RuntimeException e) {
      LOG.warn("cannot start the work of lease '{}'", name, e);
    }
  }

  /** Stops renewing without giving anything back, as a frozen replica would (tests). */
  void abandon() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Stops renewing and gives every lease back, so others take over at once. */
  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    for (String name : List.copyOf(held.keySet())) {
      release(name);
    }
  }
}
