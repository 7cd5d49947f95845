package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Keeps {@code spec.replicas} Pods of each ReplicaSet, and its status counts. */
final class ReplicaSetController implements Reconciler {

  static final String NAME = "replicaset";
  private static final String COMPONENT = "replicaset-controller";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final EventRecorder events;
  private final Clock clock;

  ReplicaSetController(StoreWriter writer, ClusterTypes types, EventRecorder events, Clock clock) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode rs = store.get(types.replicaSets(), namespace, name).orElse(null);
    if (rs == null) {
      return null;
    }
    List<ObjectNode> pods =
        store.list(types.pods(), namespace, PodTemplates.ownedBy(rs)).stream()
            .filter(PodTemplates::active)
            .toList();
    if (!Meta.deleting(rs)) {
      int diff = Meta.replicas(rs) - pods.size();
      if (diff > 0) {
        createPods(rs, diff);
      } else if (diff < 0) {
        for (ObjectNode pod : PodTemplates.deletionOrder(pods).subList(0, -diff)) {
          if (writer.delete(types.pods(), namespace, Meta.name(pod))) {
            events.normal(rs, COMPONENT, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
          }
        }
      }
      pods =
          store.list(types.pods(), namespace, PodTemplates.ownedBy(rs)).stream()
              .filter(PodTemplates::active)
              .toList();
    }
    return writeStatus(rs, pods);
  }

  private void createPods(ObjectNode rs, int count) {
    for (int i = 0; i < count; i++) {
      ObjectNode pod =
          PodTemplates.pod(rs.path("spec").path("template"), rs, "apps/v1", "ReplicaSet");
      ObjectNode created = writer.createWithSuffix(types.pods(), pod, Meta.name(rs) + "-");
      events.normal(rs, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
    }
  }

  private Duration writeStatus(ObjectNode rs, List<ObjectNode> pods) {
    Instant now = clock.instant();
    int minReady = rs.path("spec").path("minReadySeconds").asInt(0);
    JsonNode selector = rs.path("spec").path("template").path("metadata").path("labels");
    long ready = pods.stream().filter(PodTemplates::ready).count();
    long available = pods.stream().filter(p -> PodTemplates.available(p, minReady, now)).count();
    long labelled =
        pods.stream().filter(p -> Selectors.matchesMap(selector, Meta.labels(p), true)).count();
    writer.modify(
        types.replicaSets(),
        Meta.namespace(rs),
        Meta.name(rs),
        true,
        r -> {
          ObjectNode status = Meta.obj(r, "status");
          status.put("replicas", pods.size());
          Meta.putCount(status, "fullyLabeledReplicas", labelled);
          Meta.putCount(status, "readyReplicas", ready);
          Meta.putCount(status, "availableReplicas", available);
          status.put("observedGeneration", Meta.generation(r));
          return r;
        });
    // A pod that is ready but not yet available becomes available when minReadySeconds pass.
    return ready > available ? Duration.ofSeconds(Math.max(1, minReady)) : null;
  }
}
