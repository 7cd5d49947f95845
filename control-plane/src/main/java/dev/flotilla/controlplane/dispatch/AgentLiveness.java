package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.cluster.AgentHealthNames;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices agents that fell silent. Every message from an agent counts as a sign of life; an agent
 * that sends nothing for {@value #MISSED_HEARTBEATS} of its heartbeat intervals (hung, wedged, out
 * of memory, its network gone, or simply stopped) is marked silent: its stream is closed, its
 * cluster disconnected with health Unknown, and every Application on it Unknown with "agent for
 * cluster X silent since T" (the revision last reported stays visible). When it reconnects it
 * re-sends its statuses and they replace that.
 *
 * <p>A control plane that just started knows of no connection: every cluster is disconnected and
 * gets the same deadline to reconnect, so nothing stays "connected" after a crash.
 *
 * <p>One timer per cluster, re-armed lazily at its deadline; no polling.
 */
public final class AgentLiveness {

  static final int MISSED_HEARTBEATS = 3;

  /** What agents older than the Hello's heartbeat interval send. */
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

  /** An agent may not declare itself alive for longer than this between messages. */
  static final Duration MAX_HEARTBEAT = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(AgentLiveness.class);

  private final Vertx vertx;
  private final Clock clock;
  private final ClusterRepository clusters;
  private final AgentDispatcher dispatcher;
  private final ApplicationEvents events;
  private final Duration startupGrace;

  /** Guarded by {@code this}. */
  private final Map<String, Watch> watches = new HashMap<>();

  private boolean closed;

  private static final class Watch {
    Instant lastSeen;
    Duration deadline;
    AgentSession session;
    long timer = -1;
    boolean silent;
    boolean wedged;
  }

  public AgentLiveness(
      Vertx vertx,
      Clock clock,
      ClusterRepository clusters,
      AgentDispatcher dispatcher,
      ApplicationEvents events) {
    this(
        vertx,
        clock,
        clusters,
        dispatcher,
        events,
        DEFAULT_HEARTBEAT.multipliedBy(MISSED_HEARTBEATS));
  }

  AgentLiveness(
      Vertx vertx,
      Clock clock,
      ClusterRepository clusters,
      AgentDispatcher dispatcher,
      ApplicationEvents events,
      Duration startupGrace) {
    this.vertx = vertx;
    this.clock = clock;
    this.clusters = clusters;
    this.dispatcher = dispatcher;
    this.events = events;
    this.startupGrace = startupGrace;
  }

  /**
   * At start, before agents can connect: marks every cluster disconnected and gives each agent the
   * default deadline to come back before its Applications turn Unknown.
   */
  public Future<Void> start() {
    return clusters
        .markAllDisconnected()
        .compose(
            stale -> {
              if (stale > 0) {
                LOG.info(
                    "{} cluster(s) stored as connected by the previous run marked disconnected",
                    stale);
              }
              return clusters.list();
            })
        .map(
            all -> {
              for (Cluster c : all) {
                Instant since =
                    c.lastSeenAt() == null ? clock.instant() : c.lastSeenAt().toInstant();
                watch(c.name(), since, startupGrace);
              }
              return null;
            });
  }

  /** A newly authenticated agent that sends a heartbeat every {@code interval} (0: unknown). */
  void connected(String cluster, AgentSession session, long heartbeatIntervalMs) {
    Duration interval =
        heartbeatIntervalMs <= 0
            ? DEFAULT_HEARTBEAT
            : Duration.ofMillis(Math.min(heartbeatIntervalMs, MAX_HEARTBEAT.toMillis()));
    synchronized (this) {
      Watch w = watch(cluster, clock.instant(), interval.multipliedBy(MISSED_HEARTBEATS));
      w.session = session;
      w.silent = false;
      w.wedged = false;
    }
  }

  /** Any message from {@code session}'s agent. */
  synchronized void seen(String cluster, AgentSession session) {
    Watch w = watches.get(cluster);
    if (w != null && w.session == session) {
      w.lastSeen = clock.instant();
    }
  }

  /**
   * A heartbeat's health. An agent that turns Wedged cannot vouch for the statuses it sent: its
   * Applications become Unknown until it reports them again (it re-sends them all when it
   * recovers).
   */
  void reported(String cluster, AgentSession session, String health, String message) {
    boolean turnedWedged;
    synchronized (this) {
      Watch w = watches.get(cluster);
      if (w == null || w.session != session) {
        return;
      }
      boolean wedged = AgentHealthNames.WEDGED.equals(health);
      turnedWedged = wedged && !w.wedged;
      w.wedged = wedged;
    }
    if (turnedWedged) {
      String why = "agent for cluster " + cluster + " is wedged: " + message;
      LOG.warn("{}; its Applications are Unknown until it reports again", why);
      clusters
          .markApplicationsUnknown(cluster, why)
          .onSuccess(changed -> changed.forEach(events::changed))
          .onFailure(e -> LOG.warn("cannot mark the Applications of {} Unknown", cluster, e));
    }
  }

  /** The stream ended; the deadline keeps running from the last message. */
  synchronized void disconnected(String cluster, AgentSession session) {
    Watch w = watches.get(cluster);
    if (w != null && w.session == session) {
      w.session = null;
    }
  }

  public synchronized void close() {
    closed = true;
    watches.values().forEach(w -> vertx.cancelTimer(w.timer));
    watches.clear();
  }

  /** Starts (or restarts) the watch of {@code cluster}. Caller holds the lock or is starting. */
  private synchronized Watch watch(String cluster, Instant lastSeen, Duration deadline) {
    Watch w = watches.computeIfAbsent(cluster, c -> new Watch());
    w.lastSeen = lastSeen;
    w.deadline = deadline;
    arm(cluster, w, clock.instant().plus(deadline));
    return w;
  }

  private void arm(String cluster, Watch w, Instant at) {
    if (closed) {
      return;
    }
    if (w.timer >= 0) {
      vertx.cancelTimer(w.timer);
    }
    long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis());
    w.timer = vertx.setTimer(delay, id -> check(cluster, id));
  }

  private void check(String cluster, long timer) {
    AgentSession silentSession;
    Instant since;
    synchronized (this) {
      Watch w = watches.get(cluster);
      if (closed || w == null || w.timer != timer) {
        return;
      }
      w.timer = -1;
      Instant due = w.lastSeen.plus(w.deadline);
      if (clock.instant().isBefore(due)) {
        arm(cluster, w, due);
        return;
      }
      if (w.silent) {
        return;
      }
      if (w.session == null) {
        // Not connected here: it may be connected to another replica, which records its
        // heartbeats in the store. Decided there, once read.
        Instant local = w.lastSeen;
        Duration deadline = w.deadline;
        clusters
            .get(cluster)
            .onComplete(
                found -> {
                  Instant stored =
                      found.succeeded() && found.result().isPresent()
                          ? Optional.ofNullable(found.result().get().lastSeenAt())
                              .map(OffsetDateTime::toInstant)
                              .orElse(local)
                          : local;
                  silentUnlessSeenElsewhere(
                      cluster, stored.isAfter(local) ? stored : local, deadline);
                });
        return;
      }
      w.silent = true;
      silentSession = w.session;
      w.session = null;
      since = w.lastSeen;
    }
    markSilent(cluster, silentSession, since);
  }

  /**
   * The store says when the agent was last seen by any replica: silent, or watched on from then.
   */
  private void silentUnlessSeenElsewhere(String cluster, Instant lastSeen, Duration deadline) {
    synchronized (this) {
      Watch w = watches.get(cluster);
      if (closed || w == null || w.silent || w.session != null || w.timer >= 0) {
        return; // Connected here meanwhile, or watched anew.
      }
      Instant due = lastSeen.plus(deadline);
      if (clock.instant().isBefore(due)) {
        w.lastSeen = lastSeen;
        arm(cluster, w, due);
        return;
      }
      w.silent = true;
    }
    markSilent(cluster, null, lastSeen);
  }

  private void markSilent(String cluster, AgentSession silentSession, Instant since) {
    String message = "agent for cluster " + cluster + " silent since " + since;
    LOG.warn("{}: marking the cluster disconnected and its Applications Unknown", message);
    if (silentSession != null) {
      // A hung agent may wake up: it then reconnects and re-sends everything.
      dispatcher.unregister(silentSession);
      silentSession.close(Status.UNAVAILABLE.withDescription(message));
    }
    clusters
        .markSilent(cluster, message)
        .onSuccess(changed -> changed.forEach(events::changed))
        .onFailure(e -> LOG.warn("cannot mark cluster {} silent", cluster, e));
  }

  /** The clusters currently marked silent, for tests. */
  synchronized List<String> silent() {
    return watches.entrySet().stream()
        .filter(e -> e.getValue().silent)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
