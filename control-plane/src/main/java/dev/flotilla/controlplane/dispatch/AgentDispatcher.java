package dev.flotilla.controlplane.dispatch;

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

/** The connected agents, by cluster; the one place that pushes assignment changes to them. */
public final class AgentDispatcher {

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

  private volatile ResourceRelay relay = ResourceRelay.NONE;

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
    this.relay = relay;
  }

  ResourceRelay relay() {
    return relay;
  }

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
      relay.disconnected(session.cluster());
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

  /** Brings the agents of these clusters up to date with the store. */
  public Future<Void> clustersChanged(Collection<String> clusters) {
    List<Future<Void>> all = new ArrayList<>();
    for (String cluster : new TreeSet<>(clusters)) {
      AgentSession session = sessions.get(cluster);
      if (session != null) {
        resyncs.run();
        all.add(session.resync());
      }
    }
    return Future.all(all).mapEmpty();
  }

  /** Asks the cluster's agent to sync now; false when that agent is not connected. */
  public boolean requestSync(String cluster, String application, String revision) {
    AgentSession session = sessions.get(cluster);
    if (session == null) {
      return false;
    }
    session.requestSync(application, revision);
    return true;
  }

  /** Asks the cluster's agent to stop an Application's sync operation; false when not connected. */
  public boolean requestTermination(String cluster, String application) {
    AgentSession session = sessions.get(cluster);
    if (session == null) {
      return false;
    }
    session.requestTermination(application);
    return true;
  }

  /**
   * Asks the cluster's agent to re-read Git and the cluster (hard: fetching and rendering anew,
   * reusing no cache); false when it is not connected.
   */
  public boolean requestRefresh(String cluster, String application, boolean hard) {
    AgentSession session = sessions.get(cluster);
    if (session == null) {
      return false;
    }
    session.requestRefresh(application, hard);
    return true;
  }

  /** Drops the connection of a cluster whose token was revoked or which was removed. */
  public void disconnect(String cluster, String why) {
    AgentSession session = sessions.remove(cluster);
    if (session != null) {
      session.close(Status.UNAUTHENTICATED.withDescription(why));
      relay.disconnected(cluster);
    }
  }

  public void closeAll() {
    sessions
        .values()
        .forEach(s -> s.close(Status.UNAVAILABLE.withDescription("control plane stopping")));
    sessions.clear();
  }
}
