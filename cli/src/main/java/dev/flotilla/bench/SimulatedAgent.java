package dev.flotilla.bench;

import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AckBatch;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.DriftKind;
import dev.flotilla.proto.agent.v1.FieldDiff;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.Heartbeat;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.StatusBatch;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One simulated agent: a protocol-real gRPC client of {@code AgentService.Connect} whose "cluster"
 * is a map of the assignments it holds. It says hello with the checksum of what it holds, takes
 * snapshots (whole or streamed in chunks), upserts and deletes, acknowledges each at once as a real
 * agent does, reports a Synced/Healthy status per assignment, sends heartbeats and, when asked,
 * drift. It renders and applies nothing, so thousands fit in one JVM.
 *
 * <p>Every send happens under the object's lock: a gRPC request stream is not thread-safe, and the
 * fleet's timers and the stream's callbacks both send.
 */
final class SimulatedAgent implements StreamObserver<ControlMessage> {

  /** What the fleet learns from an agent, on the gRPC callback thread. */
  interface Listener {
    void welcomed(SimulatedAgent agent);

    void assignmentsChanged(SimulatedAgent agent);

    void disconnected(SimulatedAgent agent, Throwable cause);
  }

  private final String cluster;
  private final String token;
  private final AgentServiceGrpc.AgentServiceStub stub;
  private final Listener listener;
  private final long heartbeatMillis;
  private final Map<String, Assignment> held = new TreeMap<>();
  private StreamObserver<AgentMessage> out;
  private List<Assignment> chunks;
  private final java.util.concurrent.ScheduledExecutorService timers;
  private final java.util.Set<String> pendingStatus = new java.util.LinkedHashSet<>();
  private boolean streamOpen;
  private boolean connected;
  private boolean stopped;
  private long sequence;
  private long lastObserved;

  SimulatedAgent(
      String cluster,
      String token,
      Channel channel,
      long heartbeatMillis,
      java.util.concurrent.ScheduledExecutorService timers,
      Listener listener) {
    this.timers = timers;
    this.cluster = cluster;
    this.token = token;
    this.stub = AgentServiceGrpc.newStub(channel);
    this.heartbeatMillis = heartbeatMillis;
    this.listener = listener;
  }

  String cluster() {
    return cluster;
  }

  synchronized void connect() {
    if (stopped) {
      return;
    }
    out = stub.connect(this);
    // As the real agent: heartbeats run from the moment the stream is open, Welcome or not.
    streamOpen = true;
    out.onNext(
        AgentMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setCluster(cluster)
                    .setToken(token)
                    .setAgentVersion("flotilla-bench")
                    .setAssignmentsChecksum(AssignmentChecksum.of(held.values()))
                    .setHeartbeatIntervalMs(heartbeatMillis))
            .build());
  }

  synchronized boolean isConnected() {
    return connected;
  }

  synchronized int holds() {
    return held.size();
  }

  /** How many held assignments are at {@code revision}. */
  synchronized int holdsAt(String revision) {
    int n = 0;
    for (Assignment a : held.values()) {
      if (a.getRevision().equals(revision)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void onNext(ControlMessage message) {
    boolean changed = false;
    boolean welcome = false;
    synchronized (this) {
      switch (message.getKindCase()) {
        case WELCOME -> {
          connected = true;
          welcome = true;
          // A new stream: acknowledge and report everything held again (the agent's at-least-once).
          ackAll();
          reportAll();
        }
        case SNAPSHOT -> {
          replace(message.getSnapshot().getAssignmentsList());
          changed = true;
        }
        case SNAPSHOT_BEGIN -> chunks = new ArrayList<>();
        case SNAPSHOT_CHUNK -> {
          if (chunks != null) {
            chunks.addAll(message.getSnapshotChunk().getAssignmentsList());
          }
        }
        case SNAPSHOT_END -> {
          if (chunks != null) {
            replace(chunks);
            chunks = null;
            changed = true;
          }
        }
        case UPSERT -> {
          Assignment a = message.getUpsert().getAssignment();
          held.put(a.getName(), a);
          send(
              AgentMessage.newBuilder()
                  .setAck(
                      Ack.newBuilder().setApplication(a.getName()).setGeneration(a.getGeneration()))
                  .build());
          reportSoon(a.getName());
          changed = true;
        }
        case DELETE -> {
          held.remove(message.getDelete().getApplication());
          send(
              AgentMessage.newBuilder()
                  .setAck(
                      Ack.newBuilder()
                          .setApplication(message.getDelete().getApplication())
                          .setGeneration(message.getDelete().getGeneration()))
                  .build());
          changed = true;
        }
        case SYNC -> {
          if (held.containsKey(message.getSync().getApplication())) {
            reportSoon(message.getSync().getApplication());
          }
        }
        default -> {
          // Status and drift acknowledgements, terminate requests: nothing to keep.
        }
      }
    }
    if (welcome) {
      listener.welcomed(this);
    }
    if (changed) {
      listener.assignmentsChanged(this);
    }
  }

  /** Guarded by {@code this}. */
  private void replace(List<Assignment> snapshot) {
    held.clear();
    snapshot.forEach(a -> held.put(a.getName(), a));
    ackAll();
    reportAll();
  }

  /** Guarded by {@code this}. */
  private void ackAll() {
    if (held.isEmpty()) {
      return;
    }
    AckBatch.Builder acks = AckBatch.newBuilder();
    held.values()
        .forEach(
            a ->
                acks.addAcks(
                    Ack.newBuilder().setApplication(a.getName()).setGeneration(a.getGeneration())));
    send(AgentMessage.newBuilder().setAcks(acks).build());
  }

  /** Guarded by {@code this}. */
  private void reportAll() {
    if (held.isEmpty()) {
      return;
    }
    StatusBatch.Builder batch = StatusBatch.newBuilder();
    held.values().forEach(a -> batch.addStatuses(status(a)));
    send(AgentMessage.newBuilder().setStatuses(batch).build());
  }

  /**
   * Guarded by {@code this}. Statuses go up in one batch per short window, as the real agent
   * flushes its StatusReporter every 100 ms: an upsert of ten Applications is one message.
   */
  private void reportSoon(String application) {
    if (pendingStatus.isEmpty()) {
      timers.schedule(this::flushStatuses, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    pendingStatus.add(application);
  }

  private synchronized void flushStatuses() {
    StatusBatch.Builder batch = StatusBatch.newBuilder();
    for (String name : pendingStatus) {
      Assignment a = held.get(name);
      if (a != null) {
        batch.addStatuses(status(a));
      }
    }
    pendingStatus.clear();
    if (batch.getStatusesCount() > 0) {
      send(AgentMessage.newBuilder().setStatuses(batch).build());
    }
  }

  /** Every Application's status again, as after a resync that changed something in each. */
  synchronized void reportStatuses() {
    if (connected) {
      reportAll();
    }
  }

  synchronized void heartbeat() {
    if (streamOpen) {
      send(
          AgentMessage.newBuilder()
              .setHeartbeat(
                  Heartbeat.newBuilder()
                      .setSentAtUnixMs(System.currentTimeMillis())
                      .setHealth(
                          AgentHealth.newBuilder()
                              .setState(AgentHealthState.AGENT_HEALTH_STATE_OK)))
              .build());
    }
  }

  /**
   * One drift occurrence on the {@code index}-th held Application: opened now and, with {@code
   * healed}, closed by self-heal in the same breath (two messages, as a real agent sends).
   */
  synchronized void drift(int index) {
    if (!connected || held.isEmpty()) {
      return;
    }
    Assignment a = new ArrayList<>(held.values()).get(Math.floorMod(index, held.size()));
    long now = System.currentTimeMillis();
    ResourceStatus resource =
        ResourceStatus.newBuilder()
            .setVersion("v1")
            .setKind("ConfigMap")
            .setNamespace(a.getName())
            .setName("config")
            .setSyncStatus(SyncStatus.SYNC_STATUS_OUT_OF_SYNC)
            .build();
    DriftEvent open =
        DriftEvent.newBuilder()
            .setApplication(a.getName())
            .setResource(resource)
            .addFields(
                FieldDiff.newBuilder()
                    .setPath("/data/greeting")
                    .setDesired("\"hello\"")
                    .setLive("\"edited\""))
            .setDetectedAtUnixMs(now)
            .setDriftKind(DriftKind.DRIFT_KIND_DRIFT)
            .setId(UUID.randomUUID().toString())
            .build();
    send(AgentMessage.newBuilder().setDrift(open).build());
    send(
        AgentMessage.newBuilder()
            .setDrift(
                open.toBuilder()
                    .setHealedAtUnixMs(now + 1)
                    .setHealedBy("self-heal")
                    .setId(UUID.randomUUID().toString()))
            .build());
  }

  /** Guarded by {@code this}. */
  private ApplicationStatus status(Assignment a) {
    long now = Math.max(System.currentTimeMillis(), lastObserved + 1);
    lastObserved = now;
    return ApplicationStatus.newBuilder()
        .setApplication(a.getName())
        .setGeneration(a.getGeneration())
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setHealth(HealthStatus.HEALTH_STATUS_HEALTHY)
        .setRevision(a.getRevision())
        .setDeployedRevision(a.getRevision())
        .setLastSyncedAtUnixMs(now)
        .setObservedAtUnixMs(now)
        .setMessage("simulated by flotilla bench")
        .setSequence(++sequence)
        .build();
  }

  /** Guarded by {@code this}. */
  private void send(AgentMessage message) {
    if (out == null) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      // The stream is gone; onError follows and reconnects.
    }
  }

  @Override
  public void onError(Throwable t) {
    ended(t);
  }

  @Override
  public void onCompleted() {
    ended(null);
  }

  private void ended(Throwable cause) {
    synchronized (this) {
      connected = false;
      streamOpen = false;
      out = null;
      chunks = null;
    }
    listener.disconnected(this, cause);
  }

  synchronized void stop() {
    stopped = true;
    connected = false;
    streamOpen = false;
    if (out != null) {
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // Already gone.
      }
      out = null;
    }
  }

  synchronized boolean isStopped() {
    return stopped;
  }
}
