package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Pods from a workload's template, and the questions every workload controller asks of them. */
final class PodTemplates {

  private PodTemplates() {}

  /** A Pod (not yet named) from {@code template}, owned by {@code owner}. */
  static ObjectNode pod(JsonNode template, JsonNode owner, String apiVersion, String kind) {
    ObjectNode pod = Meta.JSON.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode metadata = Meta.metadata(pod);
    metadata.put("namespace", Meta.namespace(owner));
    JsonNode labels = template.path("metadata").path("labels");
    metadata.set("labels", labels.isObject() ? labels.deepCopy() : Meta.JSON.objectNode());
    JsonNode annotations = template.path("metadata").path("annotations");
    if (annotations.isObject() && !annotations.isEmpty()) {
      metadata.set("annotations", annotations.deepCopy());
    }
    metadata.set("ownerReferences", Meta.ownerReferences(owner, apiVersion, kind));
    ObjectNode spec =
        template.path("spec").isObject()
            ? (ObjectNode) template.path("spec").deepCopy()
            : Meta.JSON.objectNode();
    if (!spec.has("restartPolicy")) {
      spec.put("restartPolicy", "Always");
    }
    if (!spec.has("schedulerName")) {
      spec.put("schedulerName", "default-scheduler");
    }
    pod.set("spec", spec);
    return pod;
  }

  static boolean active(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return !Meta.deleting(pod) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  static boolean ready(JsonNode pod) {
    return "True".equals(Meta.condition(pod, "Ready").path("status").asText());
  }

  /** Ready for at least {@code minReadySeconds}. */
  static boolean available(JsonNode pod, int minReadySeconds, Instant now) {
    if (!ready(pod)) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    Instant since = Meta.parseTime(Meta.condition(pod, "Ready").path("lastTransitionTime"));
    return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
  }

  /** Orders pods the way the ReplicaSet controller deletes them: the least useful first. */
  static List<ObjectNode> deletionOrder(List<ObjectNode> pods) {
    List<ObjectNode> sorted = new ArrayList<>(pods);
    sorted.sort(
        (a, b) -> {
          int c = Boolean.compare(scheduled(a), scheduled(b));
          if (c != 0) {
            return c;
          }
          c = Integer.compare(phaseRank(a), phaseRank(b));
          if (c != 0) {
            return c;
          }
          c = Boolean.compare(ready(a), ready(b));
          if (c != 0) {
            return c;
          }
          // Newer pods go first.
          return b.path("metadata")
              .path("creationTimestamp")
              .asText()
              .compareTo(a.path("metadata").path("creationTimestamp").asText());
        });
    return sorted;
  }

  private static boolean scheduled(JsonNode pod) {
    return !pod.path("spec").path("nodeName").asText("").isEmpty();
  }

  private static int phaseRank(JsonNode pod) {
    return switch (pod.path("status").path("phase").asText("")) {
      case "Running" -> 2;
      case "Pending" -> 0;
      default -> 1;
    };
  }

  /** The pods owned by {@code owner}, active or not. */
  static Predicate<ObjectNode> ownedBy(JsonNode owner) {
    return p -> Meta.controlledBy(p, owner);
  }

  /**
   * The canonical JSON of a template (keys sorted) without the given labels: what the controllers
   * hash and compare, so the order of fields in a manifest never makes a new revision.
   */
  static String canonical(JsonNode template, String... ignoredLabels) {
    JsonNode copy = template.deepCopy();
    if (copy instanceof ObjectNode o && o.path("metadata").path("labels") instanceof ObjectNode l) {
      for (String label : ignoredLabels) {
        l.remove(label);
      }
    }
    StringBuilder s = new StringBuilder();
    write(copy, s);
    return s.toString();
  }

  private static void write(JsonNode node, StringBuilder s) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          sorted.put(e.getKey(), e.getValue());
        }
      }
      s.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        s.append(first ? "" : ",").append('"').append(e.getKey()).append("\":");
        write(e.getValue(), s);
        first = false;
      }
      s.append('}');
    } else if (node.isArray()) {
      s.append('[');
      for (int i = 0; i < node.size(); i++) {
        s.append(i == 0 ? "" : ",");
        write(node.get(i), s);
      }
      s.append(']');
    } else {
      s.append(node.toString());
    }
  }

  /**
   * A short hash in the API server's alphabet, as {@code pod-template-hash} and {@code
   * controller-revision-hash} look (FNV-1a over the canonical template).
   */
  static String hash(String canonical) {
    int h = 0x811c9dc5;
    for (byte b : canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Meta.safeEncode(Integer.toUnsignedString(h));
  }
}
