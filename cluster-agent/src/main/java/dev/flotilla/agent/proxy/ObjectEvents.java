package dev.flotilla.agent.proxy;

import dev.flotilla.agent.proxy.ApplicationObjects.Node;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.ObjectEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The Kubernetes events about one object ({@code kubectl describe}'s Events), newest first, at most
 * {@link ResourceProxyLimits#MAX_EVENTS}. Selected by the object's uid where it has one, so events
 * of an earlier object of the same name are not shown.
 */
final class ObjectEvents {

  private ObjectEvents() {}

  static List<ObjectEvent> of(KubernetesClient client, Node node) {
    var events = client.v1().events().inNamespace(namespace(node));
    List<Event> found =
        node.uid().isEmpty()
            ? events
                .withField("involvedObject.kind", node.key().kind())
                .withField("involvedObject.name", node.key().name())
                .list()
                .getItems()
            : events.withField("involvedObject.uid", node.uid()).list().getItems();
    return found.stream()
        .map(ObjectEvents::proto)
        .sorted(Comparator.comparingLong(ObjectEvent::getLastSeenUnixMs).reversed())
        .limit(ResourceProxyLimits.MAX_EVENTS)
        .toList();
  }

  /** A cluster-scoped object's events live in the default namespace, as kubectl looks for them. */
  private static String namespace(Node node) {
    return node.key().namespace().isEmpty() ? "default" : node.key().namespace();
  }

  private static ObjectEvent proto(Event e) {
    long first = millis(e.getFirstTimestamp());
    long last = millis(e.getLastTimestamp());
    if (last == 0 && e.getEventTime() != null) {
      last = millis(e.getEventTime().getTime());
    }
    return ObjectEvent.newBuilder()
        .setType(nullToEmpty(e.getType()))
        .setReason(nullToEmpty(e.getReason()))
        .setMessage(nullToEmpty(e.getMessage()))
        .setCount(e.getCount() == null ? 1 : e.getCount())
        .setFirstSeenUnixMs(first == 0 ? last : first)
        .setLastSeenUnixMs(last == 0 ? first : last)
        .setSource(
            e.getSource() == null || e.getSource().getComponent() == null
                ? nullToEmpty(e.getReportingComponent())
                : e.getSource().getComponent())
        .build();
  }

  private static long millis(String time) {
    if (time == null || time.isEmpty()) {
      return 0;
    }
    try {
      return Instant.parse(time).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return 0;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
