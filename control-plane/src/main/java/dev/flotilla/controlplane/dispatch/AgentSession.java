package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.SnapshotChunks;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Delete;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.TerminateOperation;
import dev.flotilla.proto.agent.v1.Upsert;
import dev.flotilla.proto.agent.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One connected agent. Remembers what it has sent, so that after any change it sends exactly the
 * difference between that and what the cluster should now hold ({@link WantedAssignments}): simple,
 * idempotent and safe to repeat.
 */
final class AgentSession {

  /** Room for the message envelope around one assignment. */
  static final int MESSAGE_HEADROOM = 64 * 1024;

  private final String cluster;
  private final StreamObserver<ControlMessage> out;
  private final Map<String, Assignment> sent = new HashMap<>();
  private final SessionCredentials credentials;
  private final WantedAssignments assignments;

  private final HeartbeatWrites heartbeats = new HeartbeatWrites();

  private Future<Void> chain = Future.succeededFuture();
  private boolean closed;

  /**
   * Guarded by {@code this}; acknowledgements ready before the Welcome went out (of what the agent
   * sent while it authenticated), sent after it so that the Welcome stays the first message. Null
   * once the Welcome is sent.
   */
  private List<ControlMessage> heldUntilWelcome = new java.util.ArrayList<>();

  AgentSession(
      String cluster,
      StreamObserver<ControlMessage> out,
      ApplicationRepository applications,
      ProjectGate projects,
      ClusterRepository clusters,
      AgentCredentialSource credentials,
      Clock clock) {
    this.cluster = cluster;
    this.out = out;
    this.credentials = new SessionCredentials(cluster, credentials);
    this.assignments =
        new WantedAssignments(
            cluster,
            new ClusterApplications(cluster, ClusterApplications.Reads.of(applications)),
            projects,
            clusters,
            this.credentials,
            clock);
  }

  /** Name to generation of the Applications this session last read; from any thread. */
  Map<String, Long> generationsHeld() {
    return assignments.generationsHeld();
  }

  String cluster() {
    return cluster;
  }

  /** Which of this agent's heartbeats are written to its cluster's row. */
  HeartbeatWrites heartbeats() {
    return heartbeats;
  }

  /** Welcome, then the full snapshot unless the agent's checksum shows it already holds it. */
  Future<Void> start(String agentChecksum) {
    return enqueue(
        () ->
            assignments
                .read()
                .map(
                    wanted -> {
                      List<Assignment> current = List.copyOf(wanted.assignments().values());
                      String checksum = AssignmentChecksum.of(current);
                      boolean inSync = checksum.equals(agentChecksum);
                      send(
                          ControlMessage.newBuilder()
                              .setWelcome(
                                  Welcome.newBuilder()
                                      .setCluster(cluster)
                                      .setInSync(inSync)
                                      // Every status stored is acknowledged (AgentService).
                                      .setAcknowledgesStatuses(true))
                              .build());
                      // Before the snapshot: what it assigns can be fetched at once.
                      credentials.send(wanted.credentials(), this::send);
                      if (!inSync) {
                        // In chunks when large: one message of everything wedged agents.
                        SnapshotChunks.of(
                                current,
                                new TreeSet<>(wanted.blocked()),
                                AgentLimits.SNAPSHOT_CHUNK_BYTES)
                            .forEach(this::send);
                      }
                      current.forEach(a -> sent.put(a.getName(), a));
                      welcomed();
                      return null;
                    }));
  }

  /** Sends upserts and deletes so that the agent holds what the store now says. */
  Future<Void> resync() {
    return enqueue(() -> assignments.read().map(this::sendDifference));
  }

  /**
   * The same, from what a read for the resync of many agents found ({@link ResyncPrefetch}) when it
   * is recent enough, else (or when it failed) from reads of its own.
   */
  Future<Void> resync(Future<Prefetched> prefetched) {
    return enqueue(() -> assignments.read(prefetched).map(this::sendDifference));
  }

  private Void sendDifference(WantedAssignments.Wanted wanted) {
    Map<String, Assignment> current = wanted.assignments();
    credentials.sendIfChanged(wanted.credentials(), this::send);
    for (Assignment a : current.values()) {
      Assignment before = sent.get(a.getName());
      if (before == null
          || before.getGeneration() != a.getGeneration()
          || windowChanged(before, a)) {
        send(ControlMessage.newBuilder().setUpsert(Upsert.newBuilder().setAssignment(a)).build());
      }
    }
    Set<String> gone =
        sent.keySet().stream().filter(n -> !current.containsKey(n)).collect(Collectors.toSet());
    for (String name : gone) {
      Assignment before = sent.get(name);
      send(
          ControlMessage.newBuilder()
              .setDelete(
                  Delete.newBuilder()
                      .setApplication(name)
                      .setGeneration(before.getGeneration() + 1)
                      // Held back (not deleted): the agent lets go but
                      // leaves what is deployed.
                      .setPruneResources(
                          !wanted.blocked().contains(name) && before.getDeleteResourcesOnRemoval()))
              .build());
    }
    sent.keySet().removeAll(gone);
    sent.putAll(current);
    return null;
  }

  /** A sync window opened or closed: sent again under the same generation. */
  static boolean windowChanged(Assignment before, Assignment now) {
    return before.getAutoSyncBlocked() != now.getAutoSyncBlocked()
        || !before.getAutoSyncBlockedReason().equals(now.getAutoSyncBlockedReason());
  }

  void requestRefresh(String application, boolean hard) {
    send(
        ControlMessage.newBuilder()
            .setSync(
                SyncRequest.newBuilder()
                    .setApplication(application)
                    .setRefresh(true)
                    .setRefreshOnly(true)
                    .setHardRefresh(hard))
            .build());
  }

  void requestTermination(String application) {
    send(
        ControlMessage.newBuilder()
            .setTerminateOperation(TerminateOperation.newBuilder().setApplication(application))
            .build());
  }

  void requestSync(String application, String revision, boolean prune) {
    send(
        ControlMessage.newBuilder()
            .setSync(
                SyncRequest.newBuilder()
                    .setApplication(application)
                    .setRevision(revision == null ? "" : revision)
                    .setRefresh(true)
                    .setPrune(prune))
            .build());
  }

  /** The drift event with this id is stored: the agent may drop it from its journal. */
  void acknowledgeDrift(String id) {
    acknowledge(
        ControlMessage.newBuilder()
            .setDriftAck(dev.flotilla.proto.agent.v1.DriftAck.newBuilder().addIds(id))
            .build());
  }

  /** These statuses are stored: the agent stops offering them again. */
  void acknowledgeStatuses(List<dev.flotilla.proto.agent.v1.StoredStatus> stored) {
    acknowledge(
        ControlMessage.newBuilder()
            .setStatusAck(dev.flotilla.proto.agent.v1.StatusAck.newBuilder().addAllStatuses(stored))
            .build());
  }

  private synchronized void acknowledge(ControlMessage ack) {
    if (heldUntilWelcome != null) {
      heldUntilWelcome.add(ack);
    } else {
      send(ack);
    }
  }

  /** The Welcome (and snapshot) went out: acknowledgements go straight to the agent from now on. */
  private synchronized void welcomed() {
    List<ControlMessage> held = heldUntilWelcome;
    heldUntilWelcome = null;
    if (held != null) {
      held.forEach(this::send);
    }
  }

  synchronized void close(Status status) {
    if (!closed) {
      closed = true;
      try {
        out.onError(status.asRuntimeException());
      } catch (RuntimeException ignored) {
        // Already cancelled by the peer.
      }
    }
  }

  /**
   * A resource proxy message, sent once the Welcome went out (an agent is asked nothing before).
   *
   * @return false when it could not be sent (not welcomed yet, or the stream is gone)
   */
  synchronized boolean sendResourceMessage(ControlMessage message) {
    if (closed || heldUntilWelcome != null) {
      return false;
    }
    send(message);
    return !closed;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void send(ControlMessage message) {
    if (closed) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException cancelled) {
      // The agent went away mid-send; it gets a fresh snapshot when it reconnects.
      closed = true;
    }
  }

  /** Serialises snapshot/resync work per session so diffs never interleave. */
  private synchronized Future<Void> enqueue(java.util.function.Supplier<Future<Void>> step) {
    chain = chain.transform(ignored -> closed ? Future.succeededFuture() : step.get());
    return chain;
  }
}
