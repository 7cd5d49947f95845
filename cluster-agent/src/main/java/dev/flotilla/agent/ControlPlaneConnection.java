package dev.flotilla.agent;

import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Heartbeat;
import dev.flotilla.proto.agent.v1.Hello;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one outbound stream to the control plane. Reconnects with jittered exponential
 * backoff for as long as the agent runs; while disconnected, messages are dropped (the agent
 * re-sends current status on the next Welcome).
 */
final class ControlPlaneConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneConnection.class);

  interface Listener {
    /** Called on a gRPC thread; must not block. */
    void onMessage(ControlMessage message);

    void onConnectionLost(Status status);
  }

  private final ManagedChannel channel;
  private final Supplier<Hello> hello;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private final ReconnectBackoff backoff;
  private final Duration heartbeatInterval;
  private final Supplier<AgentHealth> health;
  private final Clock clock;

  private StreamObserver<AgentMessage> outbound;
  private boolean connected;
  private boolean closed;

  ControlPlaneConnection(
      ManagedChannel channel,
      Supplier<Hello> hello,
      Listener listener,
      ScheduledExecutorService scheduler,
      ReconnectBackoff backoff,
      Duration heartbeatInterval,
      Supplier<AgentHealth> health,
      Clock clock) {
    this.channel = channel;
    this.hello = hello;
    this.listener = listener;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.heartbeatInterval = heartbeatInterval;
    this.health = health;
    this.clock = clock;
  }

  /**
   * The channel to the control plane, taking messages up to {@link AgentLimits#MAX_MESSAGE_BYTES}
   * (gRPC's default of 4 MiB refused large assignments and wedged the agent in a reconnect loop).
   */
  static ManagedChannel channel(String target, ChannelCredentials credentials) {
    return ControlPlaneChannel.open(
        target,
        credentials,
        builder -> builder.maxInboundMessageSize(AgentLimits.MAX_MESSAGE_BYTES).build());
  }

  void start() {
    connect();
    // The control plane takes three missed heartbeats for a dead or hung agent, so they run on
    // the scheduler: if it stops, so do they. Guarded, or one failure would cancel them for good.
    scheduler.scheduleAtFixedRate(
        FatalErrors.process().guard("heartbeat", this::heartbeat),
        heartbeatInterval.toMillis(),
        heartbeatInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    if (!isConnected()) {
      return;
    }
    send(
        AgentMessage.newBuilder()
            .setHeartbeat(
                Heartbeat.newBuilder().setSentAtUnixMs(clock.millis()).setHealth(health.get()))
            .build());
  }

  synchronized boolean isConnected() {
    return connected;
  }

  /** Sends when connected; returns false (and drops the message) otherwise. */
  synchronized boolean send(AgentMessage message) {
    if (!connected || outbound == null) {
      return false;
    }
    try {
      outbound.onNext(message);
      return true;
    } catch (RuntimeException e) {
      LOG.debug("send failed", e);
      return false;
    }
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    StreamObserver<ControlMessage> inbound = new Inbound();
    outbound = AgentServiceGrpc.newStub(channel).connect(inbound);
    connected = true;
    outbound.onNext(AgentMessage.newBuilder().setHello(hello.get()).build());
  }

  private synchronized void scheduleReconnect(Status status) {
    connected = false;
    outbound = null;
    if (closed) {
      return;
    }
    if (channel instanceof ControlPlaneChannel replicas) {
      replicas.moveOn(); // Another replica next, if there are several.
    }
    long delay = backoff.nextDelayMillis();
    LOG.info(
        "control plane stream ended ({}: {}); reconnecting in {} ms",
        status.getCode(),
        status.getDescription(),
        delay);
    scheduler.schedule(
        FatalErrors.process().guard("reconnect", this::connect), delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    connected = false;
    if (outbound != null) {
      try {
        outbound.onCompleted();
      } catch (RuntimeException ignored) {
        // The stream may already be gone.
      }
      outbound = null;
    }
  }

  /**
   * Whether the agent holds everything assigned once this message is handled. The backoff resets
   * only then, not at the Welcome: a stream that breaks on every snapshot must back off, not
   * reconnect at the initial delay forever.
   */
  static boolean holdsCompleteAssignments(ControlMessage message) {
    return (message.hasWelcome() && message.getWelcome().getInSync())
        || message.hasSnapshot()
        || message.hasSnapshotEnd();
  }

  private final class Inbound implements StreamObserver<ControlMessage> {
    @Override
    public void onNext(ControlMessage message) {
      if (holdsCompleteAssignments(message)) {
        backoff.reset();
      }
      listener.onMessage(message);
    }

    @Override
    public void onError(Throwable t) {
      Status status = Status.fromThrowable(t);
      listener.onConnectionLost(status);
      scheduleReconnect(status);
    }

    @Override
    public void onCompleted() {
      Status status = Status.UNAVAILABLE.withDescription("control plane closed the stream");
      listener.onConnectionLost(status);
      scheduleReconnect(status);
    }
  }
}
