package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DaemonSet controller: one Pod per Ready node that the template's node selector admits, pinned
 * with the same required node affinity ({@code metadata.name In [node]}) the real one uses; a
 * template change replaces one Pod at a time (RollingUpdate, maxUnavailable 1) or waits (OnDelete).
 */
final class DaemonSetController implements Reconciler {

  static final String NAME = "daemonset";
  private static final String COMPONENT = "daemonset-controller";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final Nodes nodes;
  private final EventRecorder events;

  DaemonSetController(StoreWriter writer, ClusterTypes types, Nodes nodes, EventRecorder events) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.nodes = nodes;
    this.events = events;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode ds = store.get(types.daemonSets(), namespace, name).orElse(null);
    if (ds == null || Meta.deleting(ds)) {
      return null;
    }
    JsonNode template = ds.path("spec").path("template");
    String revision =
        PodTemplates.hash(PodTemplates.canonical(template, StatefulSetController.REVISION_LABEL));
    List<String> eligible = new ArrayList<>();
    ObjectNode probe = Meta.JSON.objectNode();
    probe.set("spec", template.path("spec").deepCopy());
    for (ObjectNode node : nodes.ready()) {
      if (Scheduler.fits(probe, node)) {
        eligible.add(Meta.name(node));
      }
    }
    Map<String, List<ObjectNode>> byNode = podsByNode(ds);
    for (Map.Entry<String, List<ObjectNode>> e : byNode.entrySet()) {
      List<ObjectNode> pods = e.getValue();
      int keep = eligible.contains(e.getKey()) ? 1 : 0;
      for (ObjectNode pod : pods.subList(keep, pods.size())) {
        delete(ds, pod);
      }
    }
    for (String node : eligible) {
      if (!byNode.containsKey(node)) {
        create(ds, node, revision);
      }
    }
    rollOne(ds, podsByNode(ds), revision);
    writeStatus(ds, eligible, podsByNode(ds), revision);
    return null;
  }

  private Map<String, List<ObjectNode>> podsByNode(ObjectNode ds) {
    Map<String, List<ObjectNode>> byNode = new HashMap<>();
    for (ObjectNode pod : store.list(types.pods(), Meta.namespace(ds), PodTemplates.ownedBy(ds))) {
      if (PodTemplates.active(pod)) {
        byNode.computeIfAbsent(targetNode(pod), k -> new ArrayList<>()).add(pod);
      }
    }
    return byNode;
  }

  static String targetNode(JsonNode pod) {
    String bound = pod.path("spec").path("nodeName").asText("");
    if (!bound.isEmpty()) {
      return bound;
    }
    for (JsonNode term :
        pod.path("spec")
            .path("affinity")
            .path("nodeAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .path("nodeSelectorTerms")) {
      for (JsonNode field : term.path("matchFields")) {
        if ("metadata.name".equals(field.path("key").asText())) {
          return field.path("values").path(0).asText("");
        }
      }
    }
    return "";
  }

  private void rollOne(ObjectNode ds, Map<String, List<ObjectNode>> byNode, String revision) {
    if ("OnDelete".equals(ds.path("spec").path("updateStrategy").path("type").asText())) {
      return;
    }
    List<ObjectNode> pods = byNode.values().stream().flatMap(List::stream).toList();
    if (!pods.stream().allMatch(PodTemplates::ready)) {
      return;
    }
    pods.stream()
        .filter(p -> !revision.equals(Meta.labels(p).get(StatefulSetController.REVISION_LABEL)))
        .findFirst()
        .ifPresent(p -> delete(ds, p));
  }

  private void create(ObjectNode ds, String node, String revision) {
    ObjectNode pod = PodTemplates.pod(ds.path("spec").path("template"), ds, "apps/v1", "DaemonSet");
    Meta.obj(Meta.metadata(pod), "labels")
        .put(StatefulSetController.REVISION_LABEL, revision)
        .put("pod-template-generation", String.valueOf(Meta.generation(ds)));
    ObjectNode term =
        Meta.obj(Meta.obj(Meta.obj(pod, "spec"), "affinity"), "nodeAffinity")
            .putObject("requiredDuringSchedulingIgnoredDuringExecution")
            .putArray("nodeSelectorTerms")
            .addObject();
    term.putArray("matchFields")
        .addObject()
        .put("key", "metadata.name")
        .put("operator", "In")
        .putArray("values")
        .add(node);
    ObjectNode created = writer.createWithSuffix(types.pods(), pod, Meta.name(ds) + "-");
    events.normal(ds, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
  }

  private void delete(ObjectNode ds, ObjectNode pod) {
    if (writer.delete(types.pods(), Meta.namespace(pod), Meta.name(pod))) {
      events.normal(ds, COMPONENT, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
    }
  }

  private void writeStatus(
      ObjectNode ds, List<String> eligible, Map<String, List<ObjectNode>> byNode, String revision) {
    long scheduled = eligible.stream().filter(byNode::containsKey).count();
    long misscheduled = byNode.keySet().stream().filter(n -> !eligible.contains(n)).count();
    List<ObjectNode> pods = byNode.values().stream().flatMap(List::stream).toList();
    long ready = pods.stream().filter(PodTemplates::ready).count();
    long updated =
        pods.stream()
            .filter(p -> revision.equals(Meta.labels(p).get(StatefulSetController.REVISION_LABEL)))
            .count();
    writer.modify(
        types.daemonSets(),
        Meta.namespace(ds),
        Meta.name(ds),
        true,
        d -> {
          ObjectNode status = Meta.obj(d, "status");
          status.put("currentNumberScheduled", scheduled);
          status.put("desiredNumberScheduled", eligible.size());
          status.put("numberMisscheduled", misscheduled);
          status.put("numberReady", ready);
          Meta.putCount(status, "numberAvailable", ready);
          Meta.putCount(status, "numberUnavailable", Math.max(0, eligible.size() - ready));
          Meta.putCount(status, "updatedNumberScheduled", updated);
          status.put("observedGeneration", Meta.generation(d));
          return d;
        });
  }
}
