package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.cluster.AgentHealthNames;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.Heartbeat;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.StreamProblem;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
      AgentLiveness liveness) {
    this.clusters = clusters;
    this.applications = applications;
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

  private final class Inbound implements StreamObserver<AgentMessage> {
    private final StreamObserver<ControlMessage> responses;
    private volatile AgentSession session;
    private volatile boolean helloSeen;

    Inbound(StreamObserver<ControlMessage> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(AgentMessage message) {
      if (!helloSeen) {
        helloSeen = true;
        if (!message.hasHello()) {
          fail(Status.INVALID_ARGUMENT.withDescription("the first message must be a Hello"));
          return;
        }
        authenticate(message.getHello());
        return;
      }
      AgentSession s = session;
      if (s == null) {
        return; // Still authenticating; the agent re-sends its status after the Welcome.
      }
      liveness.seen(s.cluster(), s);
      switch (message.getKindCase()) {
        case ACK ->
            applications
                .recordAck(
                    s.cluster(),
                    message.getAck().getApplication(),
                    message.getAck().getGeneration())
                .onFailure(e -> LOG.warn("cannot record ack from {}", s.cluster(), e));
        case STATUS -> record(s, message.getStatus());
        case STATUSES ->
            message.getStatuses().getStatusesList().forEach(status -> record(s, status));
        case HEARTBEAT -> heartbeat(s, message.getHeartbeat());
        case DRIFT -> drift(s, message.getDrift());
        case STREAM_PROBLEM -> streamProblem(s, message.getStreamProblem());
        default -> LOG.debug("ignoring agent message {}", message.getKindCase());
      }
    }

    /** Alive, and how the agent judges itself (Unknown from agents that do not say). */
    private void heartbeat(AgentSession s, Heartbeat heartbeat) {
      String health = AgentHealthNames.of(heartbeat.getHealth().getState());
      String message = heartbeat.getHealth().getMessage();
      if (message.length() > MAX_HEALTH_MESSAGE) {
        // Stored on the cluster and shown in every listing: bounded like every other input.
        message = message.substring(0, MAX_HEALTH_MESSAGE - 3) + "...";
      }
      clusters
          .heartbeat(s.cluster(), health, message)
          .onFailure(e -> LOG.debug("cannot record heartbeat", e));
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

    private void record(AgentSession s, dev.flotilla.proto.agent.v1.ApplicationStatus status) {
      applications
          .recordStatus(s.cluster(), status)
          .onSuccess(
              stored -> {
                if (stored) {
                  events.changed(status.getApplication());
                }
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
                  fail(
                      Status.UNAVAILABLE.withDescription(
                          "control plane cannot reach its database"));
                  return;
                }
                if (ar.result().isEmpty()
                    || !JoinTokens.matches(hello.getToken(), ar.result().get())) {
                  // Unknown cluster and wrong token look the same: no enumeration of cluster names.
                  LOG.warn("refused agent for cluster '{}': invalid or revoked token", cluster);
                  fail(
                      Status.UNAUTHENTICATED.withDescription(
                          "cluster '" + cluster + "': invalid, unknown or revoked token"));
                  return;
                }
                AgentSession s =
                    new AgentSession(cluster, responses, applications, projects, clusters);
                session = s;
                dispatcher.register(s);
                liveness.connected(cluster, s, hello.getHeartbeatIntervalMs());
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
