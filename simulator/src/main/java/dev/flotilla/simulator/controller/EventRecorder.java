package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes {@code v1} Events for what the controllers did, the way client-go's recorder does: one
 * Event per (object, reason, message), its {@code count} and {@code lastTimestamp} bumped when it
 * happens again. Events of cluster-scoped objects (Nodes) go to {@code default}.
 */
final class EventRecorder {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  /** How many (object, reason, message) keys are remembered for aggregation. */
  private static final int REMEMBERED = 4096;

  private final StoreWriter writer;
  private final ResourceType events;
  private final Clock clock;
  private final String host;
  private final Map<String, String[]> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
          return size() > REMEMBERED;
        }
      };

  EventRecorder(StoreWriter writer, ResourceType events, Clock clock, String host) {
    this.writer = writer;
    this.events = events;
    this.clock = clock;
    this.host = host;
  }

  void normal(JsonNode object, String component, String reason, String message) {
    record(object, null, component, NORMAL, reason, message);
  }

  void warning(JsonNode object, String component, String reason, String message) {
    record(object, null, component, WARNING, reason, message);
  }

  /** An event about one container of a Pod ({@code involvedObject.fieldPath}). */
  void container(JsonNode pod, String container, String type, String reason, String message) {
    record(pod, "spec.containers{" + container + "}", "kubelet", type, reason, message);
  }

  synchronized void record(
      JsonNode object,
      String fieldPath,
      String component,
      String type,
      String reason,
      String message) {
    String namespace = Meta.namespace(object);
    String eventNamespace = namespace.isEmpty() ? "default" : namespace;
    String key = Meta.uid(object) + "|" + fieldPath + "|" + reason + "|" + message;
    String now = Meta.time(clock.instant());
    String[] known = recent.get(key);
    if (known != null) {
      ObjectNode bumped =
          writer.modify(
              events,
              known[0],
              known[1],
              false,
              e -> {
                e.put("count", e.path("count").asInt(1) + 1);
                e.put("lastTimestamp", now);
                return e;
              });
      if (bumped != null) {
        return;
      }
    }
    ObjectNode event = Meta.JSON.objectNode();
    event.put("apiVersion", "v1").put("kind", "Event");
    String name =
        Meta.name(object)
            + "."
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 16);
    Meta.metadata(event).put("name", name).put("namespace", eventNamespace);
    ObjectNode involved = event.putObject("involvedObject");
    involved
        .put("apiVersion", object.path("apiVersion").asText())
        .put("kind", object.path("kind").asText())
        .put("name", Meta.name(object))
        .put("uid", Meta.uid(object))
        .put("resourceVersion", object.path("metadata").path("resourceVersion").asText());
    if (!namespace.isEmpty()) {
      involved.put("namespace", namespace);
    }
    if (fieldPath != null) {
      involved.put("fieldPath", fieldPath);
    }
    event.put("reason", reason).put("message", message).put("type", type);
    ObjectNode source = event.putObject("source").put("component", component);
    if ("kubelet".equals(component)) {
      source.put("host", object.path("spec").path("nodeName").asText(host));
    }
    event
        .put("count", 1)
        .put("firstTimestamp", now)
        .put("lastTimestamp", now)
        .put("reportingComponent", component)
        .put("reportingInstance", "kubelet".equals(component) ? source.path("host").asText() : "")
        .putNull("eventTime");
    try {
      writer.store().create(events, event);
      recent.put(key, new String[] {eventNamespace, name});
    } catch (StoreException e) {
      // An event is best effort (a terminating namespace refuses it), as in client-go.
    }
  }
}
