package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Binds a Pod to a simulated node: honours {@code spec.nodeSelector} and required node affinity
 * (label expressions and the {@code metadata.name} field the DaemonSet controller uses), spreads
 * the rest round-robin. Taints, resources and topology are not simulated.
 */
final class Scheduler {

  private final StoreWriter writer;
  private final ResourceType pods;
  private final Nodes nodes;
  private final EventRecorder events;
  private final Clock clock;
  private int next;

  Scheduler(StoreWriter writer, ResourceType pods, Nodes nodes, EventRecorder events, Clock clock) {
    this.writer = writer;
    this.pods = pods;
    this.nodes = nodes;
    this.events = events;
    this.clock = clock;
  }

  /** The pod bound to a node, or null when it is gone or no node fits (then it stays Pending). */
  ObjectNode schedule(ObjectNode pod) {
    List<ObjectNode> candidates = nodes.ready();
    List<ObjectNode> fitting = candidates.stream().filter(n -> fits(pod, n)).toList();
    if (fitting.isEmpty()) {
      unschedulable(pod, candidates.size());
      return null;
    }
    String node = Meta.name(fitting.get(Math.floorMod(next++, fitting.size())));
    ObjectNode bound =
        writer.modify(
            pods,
            Meta.namespace(pod),
            Meta.name(pod),
            false,
            p -> {
              if (!p.path("spec").path("nodeName").asText("").isEmpty() || Meta.deleting(p)) {
                return null;
              }
              Meta.obj(p, "spec").put("nodeName", node);
              return p;
            });
    if (bound != null && node.equals(bound.path("spec").path("nodeName").asText())) {
      events.normal(
          bound,
          "default-scheduler",
          "Scheduled",
          "Successfully assigned " + Meta.namespace(pod) + "/" + Meta.name(pod) + " to " + node);
    }
    return bound;
  }

  private void unschedulable(ObjectNode pod, int nodeCount) {
    String message =
        "0/"
            + nodeCount
            + " nodes are available: "
            + nodeCount
            + " node(s) didn't match Pod's node affinity/selector.";
    ObjectNode written =
        writer.modify(
            pods,
            Meta.namespace(pod),
            Meta.name(pod),
            true,
            p -> {
              ObjectNode status = Meta.obj(p, "status").put("phase", "Pending");
              JsonNode old = Meta.condition(p, "PodScheduled");
              if (message.equals(old.path("message").asText())) {
                return null;
              }
              status.remove("conditions");
              status
                  .putArray("conditions")
                  .addObject()
                  .put("type", "PodScheduled")
                  .put("status", "False")
                  .put("reason", "Unschedulable")
                  .put("message", message)
                  .put("lastTransitionTime", Meta.time(clock.instant()));
              return p;
            });
    if (written != null) {
      events.warning(written, "default-scheduler", "FailedScheduling", message);
    }
  }

  static boolean fits(JsonNode pod, JsonNode node) {
    Map<String, String> labels = Meta.labels(node);
    JsonNode spec = pod.path("spec");
    if (!Selectors.matchesMap(spec.path("nodeSelector"), labels, true)) {
      return false;
    }
    JsonNode terms =
        spec.path("affinity")
            .path("nodeAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .path("nodeSelectorTerms");
    if (terms.isEmpty()) {
      return true;
    }
    for (JsonNode term : terms) {
      if (termMatches(term, Meta.name(node), labels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean termMatches(JsonNode term, String nodeName, Map<String, String> labels) {
    for (JsonNode field : term.path("matchFields")) {
      if (!"metadata.name".equals(field.path("key").asText())) {
        return false;
      }
      boolean listed = false;
      for (JsonNode v : field.path("values")) {
        listed |= nodeName.equals(v.asText());
      }
      boolean in = "In".equals(field.path("operator").asText());
      if (listed != in) {
        return false;
      }
    }
    if (!term.has("matchExpressions")) {
      return true;
    }
    ObjectNode selector = Meta.JSON.objectNode();
    selector.set("matchExpressions", term.get("matchExpressions").deepCopy());
    return Selectors.matches(selector, labels);
  }
}
