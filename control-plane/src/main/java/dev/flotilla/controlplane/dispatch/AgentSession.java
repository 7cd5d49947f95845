package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.SnapshotChunks;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Delete;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import dev.flotilla.proto.agent.v1.ResourceRules;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.TerminateOperation;
import dev.flotilla.proto.agent.v1.Upsert;
import dev.flotilla.proto.agent.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected agent. Remembers what it has sent, so that after any change it sends exactly the
 * difference between that and what the cluster should now hold: simple, idempotent and safe to
 * repeat.
 */
final class AgentSession {

  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

  /** Room for the message envelope around one assignment. */
  private static final int MESSAGE_HEADROOM = 64 * 1024;

  private final String cluster;
  private final StreamObserver<ControlMessage> out;
  private final ProjectGate projects;
  private final ClusterRepository clusters;
  private final Clock clock;
  private final Map<String, Assignment> sent = new HashMap<>();
  private final AgentCredentialSource credentials;

  /** The credentials last sent; null before the first (a new agent process holds none). */
  private RepositoryCredentials credentialsSent;

  private final HeartbeatWrites heartbeats = new HeartbeatWrites();

  /** Read by the first snapshot; only touched from the serialised chain. */
  private String server;

  private final ClusterApplications assigned;
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
    this.credentials = credentials;
    this.clock = clock;
    this.out = out;
    this.projects = projects;
    this.clusters = clusters;
    this.assigned = new ClusterApplications(cluster, ClusterApplications.Reads.of(applications));
  }

  /**
   * What the cluster should hold now, the names held back (their resources must stay), and the
   * credentials of the repositories the assignments read.
   */
  private record Wanted(
      Map<String, Assignment> assignments,
      Set<String> blocked,
      RepositoryCredentials credentials,
      Set<String> repositories) {}

  private Future<Wanted> wanted() {
    return server()
        .compose(
            server ->
                projects.load().compose(policies -> wanted(policies, server, assigned.current())))
        .compose(this::withCredentials);
  }

  /** The same from what a read for many agents found, when recent enough (else as above). */
  private Future<Wanted> wanted(Future<Prefetched> prefetched) {
    return prefetched.transform(
        ar -> {
          Prefetched p = ar.succeeded() ? ar.result() : null;
          if (p == null || !assigned.accepts(p)) {
            return wanted();
          }
          return server()
              .compose(server -> wanted(p.policies(), server, assigned.current(p)))
              .compose(this::withCredentials);
        });
  }

  /** Name to generation of the Applications this session last read; from any thread. */
  Map<String, Long> generationsHeld() {
    return assigned.generationsHeld();
  }

  /**
   * The cluster's server URL, for project destinations given by server rather than by name: read
   * once per session (a cluster's server never changes; removing the cluster ends the session), so
   * that a resync of every agent after a commit costs no cluster read per agent.
   */
  private Future<String> server() {
    if (server != null) {
      return Future.succeededFuture(server);
    }
    return clusters
        .get(cluster)
        .map(c -> c.map(Cluster::server).orElse(""))
        .onSuccess(found -> server = found);
  }

  /** Resolves the credentials of the repositories the assignments read (see AgentCredentials). */
  private Future<Wanted> withCredentials(Wanted wanted) {
    List<GitCredential> chosen =
        AgentCredentials.select(wanted.repositories(), credentials.stored());
    Future<String> hosts =
        AgentCredentials.checksHostKeys(chosen)
            ? credentials
                .knownHosts()
                .recover(
                    e -> {
                      // SSH entries then check against the agent's own known_hosts.
                      LOG.warn(
                          "cannot send known hosts to cluster '{}': {}", cluster, e.getMessage());
                      return Future.succeededFuture("");
                    })
            : Future.succeededFuture("");
    return hosts.map(
        text ->
            new Wanted(
                wanted.assignments(),
                wanted.blocked(),
                AgentCredentials.message(chosen, text),
                wanted.repositories()));
  }

  private Future<Wanted> wanted(
      ProjectGate.Policies policies, String server, Future<List<ClusterApplications.Known>> read) {
    return read.map(
        apps -> {
          Map<String, Assignment> ok = new TreeMap<>();
          Set<String> blocked = new HashSet<>();
          Map<String, ResourceRules> rules = new HashMap<>();
          List<ApplicationSpec> specs = new ArrayList<>();
          Instant now = clock.instant();
          for (ClusterApplications.Known known : apps) {
            StoredApplication a = known.app();
            // Checked again at dispatch: a project narrowed since generation wins.
            if (a.dispatchError() == null
                && known.placement() != null
                && policies.violation(known.placement()).isEmpty()) {
              Optional<String> closed = policies.autoSyncBlock(a, now);
              Assignment assignment =
                  known.base().toBuilder()
                      .setResourceRules(
                          rules.computeIfAbsent(
                              a.project(), p -> policies.resourceRules(p, server, cluster)))
                      .setAutoSyncBlocked(closed.isPresent())
                      .setAutoSyncBlockedReason(closed.orElse(""))
                      .build();
              if (fitsInOneMessage(assignment)) {
                ok.put(a.name(), assignment);
                specs.add(a.application().spec());
              } else {
                blocked.add(a.name());
              }
            } else {
              blocked.add(a.name());
            }
          }
          return new Wanted(ok, blocked, null, AgentCredentials.repositories(specs));
        });
  }

  String cluster() {
    return cluster;
  }

  /** Which of this agent's heartbeats are written to its cluster's row. */
  HeartbeatWrites heartbeats() {
    return heartbeats;
  }

  /**
   * Whether an assignment fits in one message the agent accepts. Generation refuses larger
   * Applications, so only one stored before that bound (or a huge AppProject) gets here: sending it
   * would break the agent's stream on every attempt, so it is held back, with an error in the log.
   */
  private boolean fitsInOneMessage(Assignment a) {
    int size = a.getSerializedSize();
    if (size <= AgentLimits.MAX_MESSAGE_BYTES - MESSAGE_HEADROOM) {
      return true;
    }
    LOG.error(
        "Application '{}' is {} bytes, more than an agent accepts in one message ({} bytes); it is"
            + " not sent to cluster '{}' (shrink the Application; generation refuses more than {}"
            + " bytes)",
        a.getName(),
        size,
        AgentLimits.MAX_MESSAGE_BYTES - MESSAGE_HEADROOM,
        cluster,
        AgentLimits.MAX_APPLICATION_BYTES);
    return false;
  }

  /** Welcome, then the full snapshot unless the agent's checksum shows it already holds it. */
  Future<Void> start(String agentChecksum) {
    return enqueue(
        () ->
            wanted()
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
                      sendCredentials(wanted.credentials());
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
    return enqueue(() -> wanted().map(this::sendDifference));
  }

  /**
   * The same, from what a read for the resync of many agents found ({@link ResyncPrefetch}) when it
   * is recent enough, else (or when it failed) from reads of its own.
   */
  Future<Void> resync(Future<Prefetched> prefetched) {
    return enqueue(() -> wanted(prefetched).map(this::sendDifference));
  }

  private Void sendDifference(Wanted wanted) {
    Map<String, Assignment> current = wanted.assignments();
    if (!wanted.credentials().equals(credentialsSent)) {
      sendCredentials(wanted.credentials());
    }
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

  private void sendCredentials(RepositoryCredentials set) {
    credentialsSent = set;
    if (set.getSerializedSize() > AgentLimits.MAX_MESSAGE_BYTES - MESSAGE_HEADROOM) {
      // It would break the agent's stream at every attempt; it keeps what it held.
      LOG.error(
          "the credentials of the {} repositories cluster '{}' reads are {} bytes, more than an"
              + " agent accepts in one message; they are not sent (give that agent its own"
              + " --git-credentials file, or trim ssh_known_hosts)",
          set.getEntriesCount(),
          cluster,
          set.getSerializedSize());
      return;
    }
    // Never logged: the message carries secrets (only the count is said).
    send(ControlMessage.newBuilder().setRepositoryCredentials(set).build());
    LOG.debug(
        "sent credentials of {} repositories to cluster '{}'", set.getEntriesCount(), cluster);
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
