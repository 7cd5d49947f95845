package dev.flotilla.controlplane.replica;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This control-plane process as one replica among several on one database: its row in {@code
 * replicas} (refreshed every {@link Leases#RENEW}), its leases, and the event log it reads and
 * writes. A single process is simply a fleet of one: it takes every lease.
 */
public final class ReplicaFeature implements AutoCloseable {

  /** Git polling and its follow-up (regenerating due ApplicationSets). */
  public static final String GIT_POLLER = "git-poller";

  /** Removing audit entries past their retention. */
  public static final String AUDIT_RETENTION = "audit-retention";

  /** Removing replica events every replica has read. */
  public static final String EVENT_RETENTION = "replica-event-retention";

  /** The prefix of the per-ApplicationSet generation leases. */
  public static final String GENERATION = "appset-generation/";

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaFeature.class);

  private final Vertx vertx;
  private final String id;
  private final ReplicaRepository repository;
  private final Leases leases;
  private final ReplicaBus bus;
  private long timer = -1;

  public ReplicaFeature(
      Vertx vertx, Pool pool, PgConnectOptions connectOptions, Consumer<ReplicaEvent> handler) {
    this.vertx = vertx;
    this.id = newId();
    this.repository = new ReplicaRepository(pool);
    this.leases =
        new Leases(vertx, repository, id)
            .singleton(GIT_POLLER)
            .singleton(AUDIT_RETENTION)
            .singleton(EVENT_RETENTION);
    this.bus = new ReplicaBus(vertx, connectOptions, repository, id, handler);
  }

  /** Host name and a random suffix: unique per start, readable in {@code leases}. */
  private static String newId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "replica";
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return host + "-" + HexFormat.of().formatHex(random);
  }

  public String id() {
    return id;
  }

  public Leases leases() {
    return leases;
  }

  public ReplicaBus bus() {
    return bus;
  }

  /** Registers this replica (before agents connect), reads the log and takes its leases. */
  public void start() throws Exception {
    String host = id.substring(0, id.lastIndexOf('-'));
    repository
        .register(id, host)
        .compose(v -> bus.start())
        .compose(v -> leases.start())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    timer = vertx.setPeriodic(Leases.RENEW.toMillis(), tick -> heartbeat());
    LOG.info("control-plane replica {} started", id);
  }

  private void heartbeat() {
    repository
        .heartbeat(id)
        .onFailure(e -> LOG.warn("cannot record this replica as alive: {}", e.toString()));
    if (leases.holds(EVENT_RETENTION)) {
      bus.prune().onFailure(e -> LOG.debug("cannot prune replica events", e));
    }
  }

  /** The replicas alive now (tests, diagnostics). */
  public Future<List<String>> live() {
    return repository.live(Leases.TTL);
  }

  /** Stops renewing this replica's row and leases, giving nothing back, as a killed one (tests). */
  void abandon() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    leases.abandon();
  }

  /** Stops reading and gives every lease back, so that other replicas take over at once. */
  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    bus.close();
    leases.close();
    try {
      repository.remove(id).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("cannot remove this replica's row; it ages out", e);
    }
  }
}
