package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.ApplicationStatusRepository;
import dev.flotilla.controlplane.cluster.AgentHealthNames;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.Heartbeat;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.StoredStatus;
import dev.flotilla.proto.agent.v1.StreamProblem;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent end of the protocol: authenticates the hello, then hands the stream to an {@link
 * AgentSession}. Nothing is sent to an agent before its token checks out.
 */
public final class AgentService extends AgentServiceGrpc.AgentServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

  private final ClusterRepository clusters;
  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final DriftRepository drift;
  private final DriftFeed driftFeed;
  private final ProjectGate projects;
  private final ApplicationEvents events;
  private final AgentLiveness liveness;
  private final Clock clock;

  /**
   * Status transactions at once, of the database pool's 8 connections: the other half stays free
   * for authentication, snapshots and resyncs (see {@link StatusBatches}).
   */
  static final int STATUS_WRITES = 4;

  /** Most statuses stored in one transaction: well under a second's work for the database. */
  static final int STATUS_BATCH = 256;

  private final StatusBatches statusWrites;

  /** Longest agent health message stored; an agent's own messages stay far below it. */
  static final int MAX_HEALTH_MESSAGE = 1000;

  public AgentService(
      ClusterRepository clusters,
      ApplicationRepository applications,
      AgentDispatcher dispatcher,
      DriftRepository drift,
      DriftFeed driftFeed,
      ProjectGate projects,
      ApplicationEvents events,
      AgentLiveness liveness,
      Clock clock) {
    this.clock = clock;
    this.clusters = clusters;
    this.applications = applications;
    this.statusWrites =
        new StatusBatches(STATUS_WRITES, STATUS_BATCH, applications.statuses()::record);
    this.dispatcher = dispatcher;
    this.drift = drift;
    this.driftFeed = driftFeed;
    this.projects = projects;
    this.events = events;
    this.liveness = liveness;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
    return new Inbound(responses);
  }

  /**
   * Most messages an agent may send between its Hello and the end of its authentication (a database
   * lookup); they are kept and handled in order once it succeeds. Beyond this, or {@link
   * #MAX_EARLY_BYTES}, they are dropped: an agent sends again every status and drift event not
   * acknowledged after its Welcome, so nothing is lost, and an unauthenticated peer cannot fill the
   * heap.
   */
  static final int MAX_EARLY_MESSAGES = 256;

  /** Half an agent-sized message: a few status batches (1 MiB each at most) and drift events. */
  static final long MAX_EARLY_BYTES = AgentLimits.MAX_MESSAGE_BYTES / 2;

  private final class Inbound implements StreamObserver<AgentMessage> {
    private final StreamObserver<ControlMessage> responses;
    private volatile AgentSession session;

    /** Guarded by {@code this}. */
    private boolean helloSeen;

    /** Guarded by {@code this}; null once authentication has ended, either way. */
    private List<AgentMessage> early = new ArrayList<>();

    /** Guarded by {@code this}. */
    private long earlyBytes;

    /** Guarded by {@code this}. */
    private int earlyDropped;

    Inbound(StreamObserver<ControlMessage> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(AgentMessage message) {
      AgentSession s;
      synchronized (this) {
        if (!helloSeen) {
          helloSeen = true;
          if (!message.hasHello()) {
            fail(Status.INVALID_ARGUMENT.withDescription("the first message must be a Hello"));
            return;
          }
          authenticate(message.getHello());
          return;
        }
        s = session;
        if (s == null) {
          keepUntilAuthenticated(message);
          return;
        }
      }
      // gRPC never calls onNext concurrently, and the early messages were handled (under the
      // lock) before session was visible here: the agent's order is kept.
      handle(s, message);
    }

    /** Guarded by {@code this}. */
    private void keepUntilAuthenticated(AgentMessage message) {
      if (early == null) {
        return; // Refused; the stream is failing.
      }
      int size = message.getSerializedSize();
      if (early.size() >= MAX_EARLY_MESSAGES || earlyBytes + size > MAX_EARLY_BYTES) {
        earlyDropped++;
        return;
      }
      early.add(message);
      earlyBytes += size;
    }

    /** Authenticated: the session is visible from now on, after the early messages, in order. */
    private synchronized void authenticated(AgentSession s) {
      session = s;
      List<AgentMessage> held = early;
      early = null;
      if (earlyDropped > 0) {
        LOG.warn(
            "agent of cluster '{}' sent {} message(s) more than are kept while it authenticates;"
                + " dropped (it sends them again unacknowledged)",
            s.cluster(),
            earlyDropped);
      }
      held.forEach(m -> handle(s, m));
    }

    /** Refused: what it sent meanwhile is dropped with the stream. */
    private synchronized void refused(Status status) {
      early = null;
      fail(status);
    }

    private void handle(AgentSession s, AgentMessage message) {
      liveness.seen(s.cluster(), s);
      switch (message.getKindCase()) {
        case ACK -> acks(s, List.of(message.getAck()));
        case ACKS -> acks(s, message.getAcks().getAcksList());
        case STATUS -> statuses(s, List.of(message.getStatus()));
        case STATUSES -> statuses(s, message.getStatuses().getStatusesList());
        case HEARTBEAT -> heartbeat(s, message.getHeartbeat());
        case DRIFT -> drift(s, message.getDrift());
        case STREAM_PROBLEM -> streamProblem(s, message.getStreamProblem());
        case RESOURCE_RESPONSE ->
            dispatcher.resourceRelay().answered(s.cluster(), message.getResourceResponse());
        default -> LOG.debug("ignoring agent message {}", message.getKindCase());
      }
    }

    /**
     * Idempotent (the highest generation wins). Not answered: the agent acknowledges every
     * assignment it holds again at each resync, so one whose write failed is stored then.
     */
    private void acks(AgentSession s, List<Ack> acks) {
      // One statement per batch: an agent acknowledges everything it holds at every connection.
      Map<String, Long> highest = new HashMap<>();
      acks.forEach(a -> highest.merge(a.getApplication(), a.getGeneration(), Math::max));
      applications
          .recordAcks(s.cluster(), highest)
          .onFailure(e -> LOG.warn("cannot record acks from {}", s.cluster(), e));
    }

    /** Alive, and how the agent judges itself (Unknown from agents that do not say). */
    private void heartbeat(AgentSession s, Heartbeat heartbeat) {
      String health = AgentHealthNames.of(heartbeat.getHealth().getState());
      String message = heartbeat.getHealth().getMessage();
      if (message.length() > MAX_HEALTH_MESSAGE) {
        // Stored on the cluster and shown in every listing: bounded like every other input.
        message = message.substring(0, MAX_HEALTH_MESSAGE - 3) + "...";
      }
      HeartbeatWrites writes = s.heartbeats();
      if (writes.due(health, message, clock.instant())) {
        clusters
            .heartbeat(s.cluster(), health, message)
            .onFailure(
                e -> {
                  writes.failed();
                  LOG.debug("cannot record heartbeat", e);
                });
      }
      liveness.reported(s.cluster(), s, health, message);
    }

    /**
     * Stored (or recognised as a redelivery, or dropped as not this cluster's): acknowledged, so
     * the agent drops it from its journal. Not acknowledged when it could not be stored: the agent
     * sends it again on its next connection.
     */
    private void drift(AgentSession s, DriftEvent event) {
      drift
          .record(s.cluster(), event)
          .onSuccess(
              stored -> {
                stored.ifPresent(driftFeed::publish);
                if (!event.getId().isEmpty()) {
                  s.acknowledgeDrift(event.getId());
                }
              })
          .onFailure(e -> LOG.warn("cannot record drift from {}", s.cluster(), e));
    }

    /** Shown on the cluster until the agent reports it holds a complete snapshot again. */
    private void streamProblem(AgentSession s, StreamProblem problem) {
      String message = problem.getMessage().isEmpty() ? null : problem.getMessage();
      if (message != null) {
        LOG.error("agent of cluster '{}' reports: {}", s.cluster(), message);
      } else {
        LOG.info("agent of cluster '{}' holds a complete snapshot again", s.cluster());
      }
      clusters
          .recordStreamProblem(
              s.cluster(),
              message,
              OffsetDateTime.ofInstant(Instant.ofEpochMilli(problem.getAtUnixMs()), ZoneOffset.UTC))
          .onFailure(e -> LOG.warn("cannot record stream problem of {}", s.cluster(), e));
    }

    /**
     * Stores each status, then acknowledges in one message those stored (or recognised as older
     * than what is stored, or as not this cluster's: sending them again changes nothing). One whose
     * write failed is not acknowledged, so the agent sends it again.
     */
    private void statuses(AgentSession s, List<ApplicationStatus> statuses) {
      dispatcher.resourceRelay().statuses(s.cluster(), statuses); // their resource trees
      List<ApplicationStatusRepository.Report> reports = new ArrayList<>(statuses.size());
      for (ApplicationStatus status : statuses) {
        reports.add(new ApplicationStatusRepository.Report(s.cluster(), status));
      }
      List<Future<Boolean>> written = statusWrites.submit(reports);
      List<Future<Optional<StoredStatus>>> writes = new ArrayList<>(statuses.size());
      for (int i = 0; i < statuses.size(); i++) {
        writes.add(acknowledgement(s, statuses.get(i), written.get(i)));
      }
      Future.join(writes)
          .onComplete(
              done -> {
                List<StoredStatus> stored =
                    writes.stream()
                        .filter(Future::succeeded)
                        .flatMap(w -> w.result().stream())
                        .toList();
                if (!stored.isEmpty()) {
                  s.acknowledgeStatuses(stored);
                }
              });
    }

    private Future<Optional<StoredStatus>> acknowledgement(
        AgentSession s, ApplicationStatus status, Future<Boolean> write) {
      return write
          .map(
              stored -> {
                if (stored) {
                  events.changed(status.getApplication());
                }
                // Agents older than sequences get no acknowledgement, as they expect none.
                return status.getSequence() == 0
                    ? Optional.<StoredStatus>empty()
                    : Optional.of(
                        StoredStatus.newBuilder()
                            .setApplication(status.getApplication())
                            .setSequence(status.getSequence())
                            .build());
              })
          .onFailure(e -> LOG.warn("cannot record status from {}", s.cluster(), e));
    }

    private void authenticate(Hello hello) {
      String cluster = hello.getCluster();
      clusters
          .activeTokenHash(cluster)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.warn("cannot authenticate cluster {}", cluster, ar.cause());
                  refused(
                      Status.UNAVAILABLE.withDescription(
                          "control plane cannot reach its database"));
                  return;
                }
                if (ar.result().isEmpty()
                    || !JoinTokens.matches(hello.getToken(), ar.result().get())) {
                  // Unknown cluster and wrong token look the same: no enumeration of cluster names.
                  LOG.warn("refused agent for cluster '{}': invalid or revoked token", cluster);
                  refused(
                      Status.UNAUTHENTICATED.withDescription(
                          "cluster '" + cluster + "': invalid, unknown or revoked token"));
                  return;
                }
                AgentSession s =
                    new AgentSession(
                        cluster,
                        responses,
                        applications,
                        projects,
                        clusters,
                        dispatcher.credentials(),
                        clock);
                dispatcher.register(s);
                liveness.connected(cluster, s, hello.getHeartbeatIntervalMs());
                // What the agent sent while it authenticated is handled first, in order.
                authenticated(s);
                clusters
                    .markConnected(cluster, hello.getAgentVersion(), true)
                    .onFailure(
                        e -> LOG.warn("cluster '{}': cannot record the connection", cluster, e));
                LOG.info(
                    "agent connected for cluster '{}' (version {})",
                    cluster,
                    hello.getAgentVersion());
                s.start(hello.getAssignmentsChecksum())
                    .onFailure(
                        e -> {
                          LOG.warn("cannot send assignments to {}", cluster, e);
                          s.close(Status.UNAVAILABLE.withDescription("cannot load assignments"));
                        });
              });
    }

    private void fail(Status status) {
      try {
        responses.onError(status.asRuntimeException());
      } catch (RuntimeException ignored) {
        // Peer already gone.
      }
    }

    @Override
    public void onError(Throwable t) {
      closed();
    }

    @Override
    public void onCompleted() {
      closed();
      try {
        responses.onCompleted();
      } catch (RuntimeException ignored) {
        // Already closed.
      }
    }

    private void closed() {
      AgentSession s = session;
      if (s != null) {
        s.close(Status.CANCELLED.withDescription("stream ended"));
        dispatcher.unregister(s);
        liveness.disconnected(s.cluster(), s);
        if (!dispatcher.isConnected(s.cluster())) {
          clusters
              .markConnected(s.cluster(), null, false)
              .onFailure(
                  e -> LOG.warn("cluster '{}': cannot record the disconnection", s.cluster(), e));
        }
        LOG.info("agent for cluster '{}' disconnected", s.cluster());
      }
    }
  }
}
