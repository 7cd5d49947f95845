package dev.flotilla.controlplane;

import dev.flotilla.controlplane.dispatch.AgentRelay;
import dev.flotilla.controlplane.drift.DriftedObject;
import dev.flotilla.controlplane.metrics.ControlPlaneMetrics;
import dev.flotilla.controlplane.proxy.ReplicaResourceLink;
import dev.flotilla.controlplane.proxy.ResourceRelayRepository;
import dev.flotilla.controlplane.replica.Leases;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.controlplane.replica.ReplicaFeature;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of one control plane wired to the other replicas on its database: relays, leases,
 * the lease metrics, the resource link, and what the other replicas tell this one.
 */
final class ReplicaWiring implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaWiring.class);

  /** How often the agents connected here are brought up to date with the store regardless. */
  static final Duration SAFETY_RESYNC = Duration.ofMinutes(5);

  private final ControlPlaneParts parts;
  private final long safetyResync;
  private final ReplicaResourceLink resourceLink;

  ReplicaWiring(ControlPlaneParts parts, Database database, ControlPlaneMetrics meters) {
    this.parts = parts;
    ReplicaFeature replica = parts.replica;
    Leases leases = replica.leases();
    parts.dispatcher.relayThrough(agentRelay());
    parts.events.relayThrough(replica.bus()::applicationChanged);
    parts.driftFeed.relayThrough(
        drifted ->
            replica
                .bus()
                .publish(
                    new ReplicaEvent(
                        ReplicaEvent.Kind.DRIFT,
                        List.of(drifted.cluster()),
                        List.of(drifted.application()),
                        drifted.toJson().encode()))
                .onFailure(e -> LOG.warn("cannot pass drift on to other replicas", e)));
    parts.controller.lockThrough(
        (name, work) -> leases.exclusively(ReplicaFeature.GENERATION + name, work));
    parts.poller.runOnlyWhen(
        () -> leases.holds(ReplicaFeature.GIT_POLLER),
        () ->
            replica
                .bus()
                .publish(ReplicaEvent.poll())
                .onFailure(e -> LOG.warn("cannot ask the polling replica to poll", e)));
    leases.onTaken(
        name -> {
          if (ReplicaFeature.GIT_POLLER.equals(name)) {
            parts.poller.takenOver();
          }
        });
    parts.auditRetention.runOnlyWhen(() -> leases.holds(ReplicaFeature.AUDIT_RETENTION));
    parts.storedCredentials.onChangeHere(
        () ->
            replica
                .bus()
                .publish(ReplicaEvent.credentialsChanged())
                .onFailure(e -> LOG.warn("cannot tell other replicas to reload credentials", e)));
    meters.watchLeases(leases::singletons, leases::holds, leases::workLeases);
    // The safety net under the event log: a replica that stored a change and died before it
    // appended the event leaves agents elsewhere behind until this (sends differences only).
    safetyResync =
        parts.vertx.setPeriodic(
            SAFETY_RESYNC.toMillis(),
            id ->
                parts
                    .dispatcher
                    .clustersChanged(parts.dispatcher.connectedClusters())
                    .onFailure(e -> LOG.warn("periodic resync of connected agents failed", e)));
    this.resourceLink =
        new ReplicaResourceLink(
            parts.vertx,
            parts.dispatcher,
            agentRelay(),
            new ResourceRelayRepository(parts.pool, database.connectOptions()));
  }

  /** The way to agents connected to other replicas: through the replicas' event log. */
  private AgentRelay agentRelay() {
    return new AgentRelay() {
      @Override
      public Future<Boolean> connectedElsewhere(String cluster) {
        return parts.clusters.connectedElsewhere(cluster);
      }

      @Override
      public Future<Void> publish(ReplicaEvent event) {
        return parts.replica.bus().publish(event);
      }
    };
  }

  /** What another replica tells this one. */
  void fromReplica(ReplicaEvent event) {
    switch (event.kind()) {
      case APPLICATIONS_CHANGED -> event.names().forEach(parts.events::changedElsewhere);
      case DRIFT ->
          parts.driftFeed.publishedElsewhere(
              DriftedObject.fromJson(new JsonObject(event.detail())));
      case POLL -> parts.poller.pollRequestedElsewhere();
      case RESOURCE_REQUEST, RESOURCE_CANCEL -> resourceLink.onReplicaEvent(event);
      case CREDENTIALS_CHANGED ->
          parts
              .storedCredentials
              .reload()
              .onFailure(e -> LOG.warn("cannot reload stored repository credentials", e));
      default -> parts.dispatcher.onReplicaEvent(event);
    }
  }

  /** Resource requests and answers for agents connected elsewhere (the resource proxy's). */
  ReplicaResourceLink resourceLink() {
    return resourceLink;
  }

  /** Stops the safety net, leaves the replicas (giving the leases back), then the link. */
  @Override
  public void close() {
    parts.vertx.cancelTimer(safetyResync);
    parts.replica.close();
    resourceLink.close();
  }
}
