package dev.flotilla.agent;

import dev.flotilla.agent.proxy.ResourceProxy;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AckBatch;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Delete;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's conversation with the control plane over its one stream: the hello (identity, token,
 * what it holds), the control messages handed to the {@link AssignmentInbox}, and at-least-once
 * delivery of what goes up. Assignments are acknowledged by generation, statuses and drift events
 * stay unacknowledged until the control plane confirms it stored them, and everything
 * unacknowledged is offered again on each new stream and at each resync. Also keeps why the last
 * connection failed (a refused token, a TLS problem) for the operator.
 */
final class ControlPlaneSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneSession.class);

  /** Acks per AckBatch: each is a name and a number, so a batch stays far below any limit. */
  static final int ACKS_PER_BATCH = 1000;

  private final AgentConfig config;
  private final HealthSettings healthSettings;
  private final AssignmentStore store;
  private final AssignmentInbox inbox;
  private final DriftJournal driftJournal;
  private final ManagedChannel channel;
  private final ControlPlaneConnection connection;
  private final StatusReporter statusReporter;
  private final StreamProblems streamProblems;
  private final SnapshotReceiver snapshots;

  private volatile ResourceProxy resourceProxy;
  private volatile Status lastRefusal;
  private volatile String lastTlsFailure;

  /**
   * @param agentHealth the agent's judgement of itself, sent with every heartbeat
   */
  ControlPlaneSession(
      AgentConfig config,
      HealthSettings healthSettings,
      AssignmentStore store,
      AssignmentInbox inbox,
      DriftJournal driftJournal,
      ScheduledExecutorService scheduler,
      Supplier<AgentHealth> agentHealth,
      Clock clock) {
    this.config = config;
    this.healthSettings = healthSettings;
    this.store = store;
    this.inbox = inbox;
    this.driftJournal = driftJournal;
    this.channel =
        ControlPlaneConnection.channel(config.target(), ControlPlaneTls.channelCredentials(config));
    this.connection =
        new ControlPlaneConnection(
            channel,
            this::hello,
            new ControlListener(),
            scheduler,
            new ReconnectBackoff(
                config.initialBackoff(), config.maxBackoff(), ReconnectBackoff.RANDOM),
            healthSettings.heartbeatInterval(),
            agentHealth,
            clock);
    this.statusReporter =
        new StatusReporter(connection::send, (flush, delay) -> flushLater(scheduler, flush, delay));
    this.streamProblems = new StreamProblems(config.cluster(), connection::send);
    this.snapshots =
        new SnapshotReceiver(streamProblems, c -> applySnapshot(c.assignments(), c.heldBack()));
  }

  /** Answers the control plane's resource requests from now on. */
  void useResourceProxy(ResourceProxy proxy) {
    this.resourceProxy = proxy;
  }

  /** Puts a message on the stream now; false when it is down. */
  boolean send(AgentMessage message) {
    return connection.send(message);
  }

  /** Dials the control plane; reconnects by itself from then on. */
  void start() {
    connection.start();
  }

  boolean isConnected() {
    return connection.isConnected();
  }

  /** The last refusal from the control plane (e.g. UNAUTHENTICATED), or null. */
  Status lastRefusal() {
    return lastRefusal;
  }

  /** Why the last connection attempt failed in the TLS handshake, or null. */
  String lastTlsFailure() {
    return lastTlsFailure;
  }

  /** The statuses going up, with their delivery state. */
  StatusReporter statusReporter() {
    return statusReporter;
  }

  /** Sends a drift event now if connected; it stays journaled until acknowledged either way. */
  void sendDrift(DriftEvent event) {
    connection.send(AgentMessage.newBuilder().setDrift(event).build());
  }

  /**
   * Offers again what the control plane has not confirmed stored (e.g. its database was away):
   * drift events, statuses and acks, rather than only on the next connection.
   */
  void offerUnacknowledged() {
    flushDrift();
    statusReporter.resendUnacknowledged();
    ackHeld();
  }

  /** Sends the statuses collected since the last flush. */
  void flushStatus() {
    try {
      statusReporter.flush();
    } catch (RuntimeException e) {
      // Closing goes on: what was not sent is offered again on the next stream.
      LOG.warn("sending status failed", e);
    }
  }

  /** The status reporter's timer: one flush on the agent's scheduler, when something is pending. */
  private static void flushLater(
      ScheduledExecutorService scheduler, Runnable flush, Duration delay) {
    try {
      scheduler.schedule(
          FatalErrors.process().guard("status flush", flush),
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The agent is closing (its scheduler stopped after the last flush); a reconcile finishing
      // late must not fail for a status nobody will send.
      LOG.debug("agent closing: status flush not scheduled");
    }
  }

  private Hello hello() {
    return Hello.newBuilder()
        .setCluster(config.cluster())
        .setToken(config.token())
        .setAgentVersion(AgentConfig.VERSION)
        .setAssignmentsChecksum(store.checksum())
        .setGeneration(store.highestGeneration())
        .setHeartbeatIntervalMs(healthSettings.heartbeatInterval().toMillis())
        .build();
  }

  private void onControlMessage(ControlMessage message) {
    switch (message.getKindCase()) {
      case WELCOME -> welcomed(message.getWelcome());
      case SNAPSHOT ->
          applySnapshot(
              message.getSnapshot().getAssignmentsList(),
              Set.copyOf(message.getSnapshot().getHeldBackList()));
      case SNAPSHOT_BEGIN, SNAPSHOT_CHUNK, SNAPSHOT_END -> snapshots.onPart(message);
      case UPSERT -> {
        Assignment a = message.getUpsert().getAssignment();
        inbox.upsert(a);
        ack(a.getName(), a.getGeneration());
      }
      case DELETE -> {
        Delete d = message.getDelete();
        inbox.delete(d.getApplication(), d.getPruneResources());
        ack(d.getApplication(), d.getGeneration());
      }
      case SYNC -> {
        SyncRequest s = message.getSync();
        inbox.requestSync(
            s.getApplication(),
            s.getRevision(),
            s.getRefreshOnly(),
            s.getHardRefresh(),
            s.getPrune());
      }
      case TERMINATE_OPERATION ->
          inbox.requestTermination(message.getTerminateOperation().getApplication());
      case REPOSITORY_CREDENTIALS -> inbox.replaceCredentials(message.getRepositoryCredentials());
      case RESOURCE_REQUEST -> {
        ResourceProxy proxy = resourceProxy;
        if (proxy != null) {
          proxy.handle(message.getResourceRequest());
        }
      }
      case CANCEL_RESOURCE_REQUEST -> {
        ResourceProxy proxy = resourceProxy;
        if (proxy != null) {
          proxy.cancel(message.getCancelResourceRequest().getId());
        }
      }
      case DRIFT_ACK -> driftJournal.acknowledge(message.getDriftAck().getIdsList());
      case STATUS_ACK -> statusReporter.acknowledge(message.getStatusAck().getStatusesList());
      default -> LOG.debug("ignoring control message {}", message.getKindCase());
    }
  }

  /** A new stream knows nothing of what we sent before: everything unacknowledged goes again. */
  private void welcomed(Welcome welcome) {
    boolean inSync = welcome.getInSync();
    lastRefusal = null;
    lastTlsFailure = null;
    LOG.info(
        "connected to control plane as '{}'{}",
        config.cluster(),
        inSync ? " (assignments already in sync)" : "");
    statusReporter.resendAll(welcome.getAcknowledgesStatuses());
    flushDrift();
    ackHeld();
    streamProblems.flush();
    if (inSync) {
      streamProblems.resolved();
    }
  }

  private void applySnapshot(List<Assignment> snapshot, Set<String> heldBack) {
    inbox.replaceAll(snapshot, heldBack);
    for (Assignment a : snapshot) {
      ack(a.getName(), a.getGeneration());
    }
    streamProblems.resolved();
  }

  private void ack(String application, long generation) {
    connection.send(
        AgentMessage.newBuilder()
            .setAck(Ack.newBuilder().setApplication(application).setGeneration(generation))
            .build());
  }

  /**
   * Acknowledges again every assignment held, in batches: an Ack the control plane received but
   * could not store is otherwise lost, and it has no way to ask again. Idempotent there.
   */
  private void ackHeld() {
    List<Assignment> held = store.all();
    for (int from = 0; from < held.size(); from += ACKS_PER_BATCH) {
      AckBatch.Builder batch = AckBatch.newBuilder();
      for (Assignment a : held.subList(from, Math.min(held.size(), from + ACKS_PER_BATCH))) {
        batch.addAcks(
            Ack.newBuilder().setApplication(a.getName()).setGeneration(a.getGeneration()));
      }
      if (!connection.send(AgentMessage.newBuilder().setAcks(batch).build())) {
        return;
      }
    }
  }

  /** Everything not acknowledged goes (again); the control plane deduplicates. */
  private void flushDrift() {
    for (DriftEvent event : driftJournal.unacknowledged()) {
      if (!connection.send(AgentMessage.newBuilder().setDrift(event).build())) {
        return;
      }
    }
  }

  /** Sends what is pending and ends the stream; the channel stays until {@link #closeChannel}. */
  @Override
  public void close() {
    flushStatus();
    connection.close();
  }

  /** Closes the channel and waits a moment for its calls to end (after the workers stopped). */
  void closeChannel() {
    channel.shutdownNow();
  }

  boolean awaitChannel(long timeout, TimeUnit unit) throws InterruptedException {
    return channel.awaitTermination(timeout, unit);
  }

  private final class ControlListener implements ControlPlaneConnection.Listener {
    @Override
    public void onMessage(ControlMessage message) {
      onControlMessage(message);
    }

    @Override
    public void onConnectionLost(Status status) {
      snapshots.connectionLost(status);
      String tls = ControlPlaneTls.tlsProblem(status, config);
      if (tls != null) {
        lastTlsFailure = tls;
        LOG.warn("cannot connect to the control plane: {}; retrying", tls);
      }
      if (status.getCode() == Status.Code.UNAUTHENTICATED) {
        lastRefusal = status;
        LOG.warn(
            "control plane refused cluster '{}': {} — check the token (flotilla cluster add prints"
                + " it once) and that the cluster is registered",
            config.cluster(),
            status.getDescription());
      }
    }
  }
}
