package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.FleetApplicationRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.CancelResourceRequest;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.grpc.Status;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connected agents, by cluster; the one place that pushes assignment changes to them. */
public final class AgentDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(AgentDispatcher.class);

  private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private volatile Runnable resyncs = () -> {};
  private volatile AgentCredentialSource credentials = AgentCredentialSource.NONE;

  /**
   * Where the stored repository credentials agents receive come from (none until set). Call {@link
   * #credentialsChanged} after every change of them.
   */
  public void supplyCredentials(AgentCredentialSource source) {
    this.credentials = source;
  }

  AgentCredentialSource credentials() {
    return credentials;
  }

  /**
   * Stored credentials were added, replaced or removed: every connected agent gets the set it now
   * needs (a resync sends only what differs, so agents whose set is unchanged receive nothing).
   */
  public Future<Void> credentialsChanged() {
    return clustersChanged(connectedClusters());
  }

  private volatile ResourceRelay resourceRelay = ResourceRelay.NONE;

  /**
   * Where what agents send for the resource proxy goes: answers to resource requests, statuses
   * (their resource trees), and the end of a cluster's connection (its pending requests fail).
   * Called on gRPC threads; must not block.
   */
  public interface ResourceRelay {
    ResourceRelay NONE =
        new ResourceRelay() {
          @Override
          public void answered(String cluster, ResourceResponse response) {}

          @Override
          public void statuses(String cluster, List<ApplicationStatus> statuses) {}

          @Override
          public void disconnected(String cluster) {}
        };

    void answered(String cluster, ResourceResponse response);

    void statuses(String cluster, List<ApplicationStatus> statuses);

    void disconnected(String cluster);
  }

  public void relayResources(ResourceRelay relay) {
    this.resourceRelay = relay;
  }

  ResourceRelay resourceRelay() {
    return resourceRelay;
  }

  private volatile AgentRelay relay = AgentRelay.NONE;

  /** The detail of a relayed REFRESH that asks for a hard one. */
  public static final String HARD = "hard";

  /**
   * Marks a relayed sync that prunes; the revision follows it. Git ref names cannot hold ':', so a
   * revision never starts with it by chance.
   */
  static final String PRUNE_PREFIX = "prune:";

  /** Runs {@code observer} at each resync sent to a connected agent (metrics). */
  public void observeResyncs(Runnable observer) {
    this.resyncs = observer;
  }

  void register(AgentSession session) {
    AgentSession previous = sessions.put(session.cluster(), session);
    if (previous != null && previous != session) {
      previous.close(
          Status.ABORTED.withDescription("replaced by a newer connection of the same cluster"));
    }
  }

  void unregister(AgentSession session) {
    if (sessions.remove(session.cluster(), session)) {
      resourceRelay.disconnected(session.cluster());
    }
  }

  /** Sends a resource request to the cluster's agent; false when that agent is not connected. */
  public boolean requestResource(String cluster, ResourceRequest request) {
    AgentSession session = sessions.get(cluster);
    return session != null
        && session.sendResourceMessage(
            ControlMessage.newBuilder().setResourceRequest(request).build());
  }

  /** Tells the cluster's agent that nobody waits for this request any more (a follow ended). */
  public void cancelResource(String cluster, String id) {
    AgentSession session = sessions.get(cluster);
    if (session != null) {
      session.sendResourceMessage(
          ControlMessage.newBuilder()
              .setCancelResourceRequest(CancelResourceRequest.newBuilder().setId(id))
              .build());
    }
  }

  public boolean isConnected(String cluster) {
    return sessions.containsKey(cluster);
  }

  public Set<String> connectedClusters() {
    return new TreeSet<>(sessions.keySet());
  }

  private volatile ResyncPrefetch prefetch;

  /**
   * Where a resync of several agents at once reads what they all need (by default each reads its
   * own); set once at start.
   */
  public void readForManyThrough(ProjectGate projects, FleetApplicationRepository reads) {
    this.prefetch = new ResyncPrefetch(projects, reads);
  }

  /** How agents connected to other replicas are reached; set once at start. */
  public void relayThrough(AgentRelay relay) {
    this.relay = relay;
  }

  /**
   * Brings the agents of these clusters up to date with the store, those connected here at once and
   * those connected to other replicas through them.
   */
  public Future<Void> clustersChanged(Collection<String> clusters) {
    List<Future<Void>> all = new ArrayList<>();
    List<String> elsewhere = new ArrayList<>();
    List<AgentSession> here = new ArrayList<>();
    for (String cluster : new TreeSet<>(clusters)) {
      AgentSession session = sessions.get(cluster);
      if (session != null) {
        here.add(session);
      } else {
        elsewhere.add(cluster);
      }
    }
    ResyncPrefetch reads = prefetch;
    if (here.size() > 1 && reads != null) {
      // One read for all of them rather than three per agent; each takes its slice.
      Future<Map<String, Prefetched>> read = reads.read(here);
      for (AgentSession session : here) {
        resyncs.run();
        all.add(session.resync(read.map(slices -> slices.get(session.cluster()))));
      }
    } else {
      for (AgentSession session : here) {
        resyncs.run();
        all.add(session.resync());
      }
    }
    if (!elsewhere.isEmpty()) {
      all.add(relay.publish(ReplicaEvent.resync(elsewhere)));
    }
    return Future.all(all).mapEmpty();
  }

  /**
   * Brings every agent up to date with the store: those connected here at once, those connected to
   * other replicas through them (an AppProject changed).
   */
  public Future<Void> everyClusterChanged() {
    return Future.all(clustersChanged(connectedClusters()), relay.publish(ReplicaEvent.resyncAll()))
        .mapEmpty();
  }

  /** Asks the cluster's agent to sync now; false when that agent is connected to no replica. */
  public Future<Boolean> requestSync(String cluster, String application, String revision) {
    return requestSync(cluster, application, revision, false);
  }

  /** The same; {@code prune}: that sync prunes even when the Application's policy does not. */
  public Future<Boolean> requestSync(
      String cluster, String application, String revision, boolean prune) {
    AgentSession session = sessions.get(cluster);
    if (session != null) {
      session.requestSync(application, revision, prune);
      return Future.succeededFuture(true);
    }
    String rev = revision == null ? "" : revision;
    return relay(ReplicaEvent.Kind.SYNC, cluster, application, prune ? PRUNE_PREFIX + rev : rev);
  }

  /** Asks the cluster's agent to stop an Application's sync operation; false when not connected. */
  public Future<Boolean> requestTermination(String cluster, String application) {
    AgentSession session = sessions.get(cluster);
    if (session != null) {
      session.requestTermination(application);
      return Future.succeededFuture(true);
    }
    return relay(ReplicaEvent.Kind.TERMINATE, cluster, application, null);
  }

  /**
   * Asks the cluster's agent to re-read Git and the cluster (hard: fetching and rendering anew,
   * reusing no cache), through the replica it is connected to; false when it is not connected.
   */
  public Future<Boolean> requestRefresh(String cluster, String application, boolean hard) {
    AgentSession session = sessions.get(cluster);
    if (session != null) {
      session.requestRefresh(application, hard);
      return Future.succeededFuture(true);
    }
    return relay(ReplicaEvent.Kind.REFRESH, cluster, application, hard ? HARD : null);
  }

  private Future<Boolean> relay(
      ReplicaEvent.Kind kind, String cluster, String application, String detail) {
    return relay
        .connectedElsewhere(cluster)
        .compose(
            elsewhere ->
                elsewhere
                    ? relay
                        .publish(ReplicaEvent.forAgent(kind, cluster, application, detail))
                        .map(true)
                    : Future.succeededFuture(false));
  }

  /**
   * Drops the connection of a cluster whose token was revoked or which was removed, here and on
   * every other replica.
   */
  public void disconnect(String cluster, String why) {
    disconnectHere(cluster, why);
    relay
        .publish(ReplicaEvent.forAgent(ReplicaEvent.Kind.DISCONNECT, cluster, null, why))
        .onFailure(e -> LOG.warn("cannot tell other replicas to disconnect {}", cluster, e));
  }

  private void disconnectHere(String cluster, String why) {
    AgentSession session = sessions.remove(cluster);
    if (session != null) {
      session.close(Status.UNAUTHENTICATED.withDescription(why));
      resourceRelay.disconnected(cluster);
    }
  }

  /** What another replica asked of the agents: done for those connected here, if any. */
  public void onReplicaEvent(ReplicaEvent event) {
    switch (event.kind()) {
      case RESYNC -> {
        List<String> here = event.clusters().stream().filter(sessions::containsKey).toList();
        if (!here.isEmpty()) {
          clustersChanged(here)
              .onFailure(e -> LOG.warn("cannot resync {} for another replica", here, e));
        }
      }
      case RESYNC_ALL ->
          clustersChanged(connectedClusters())
              .onFailure(e -> LOG.warn("cannot resync agents for another replica", e));
      case SYNC -> {
        String detail = event.detail() == null ? "" : event.detail();
        boolean prune = detail.startsWith(PRUNE_PREFIX);
        String revision = prune ? detail.substring(PRUNE_PREFIX.length()) : detail;
        withSession(event, s -> s.requestSync(event.names().get(0), revision, prune));
      }
      case REFRESH ->
          withSession(
              event, s -> s.requestRefresh(event.names().get(0), HARD.equals(event.detail())));
      case TERMINATE -> withSession(event, s -> s.requestTermination(event.names().get(0)));
      case DISCONNECT -> disconnectHere(event.clusters().get(0), event.detail());
      default -> {
        // Not about agents.
      }
    }
  }

  private void withSession(ReplicaEvent event, Consumer<AgentSession> action) {
    if (event.clusters().isEmpty() || event.names().isEmpty()) {
      return;
    }
    AgentSession session = sessions.get(event.clusters().get(0));
    if (session != null) {
      action.accept(session);
    }
  }

  public void closeAll() {
    sessions
        .values()
        .forEach(s -> s.close(Status.UNAVAILABLE.withDescription("control plane stopping")));
    sessions.clear();
  }
}
