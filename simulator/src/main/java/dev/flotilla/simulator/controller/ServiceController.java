package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Services: a cluster IP from {@code 10.96.0.0/16} when none was given, and the EndpointSlice
 * controller's work: one {@code discovery.k8s.io/v1} slice per selector Service listing the Pods it
 * selects that have an IP, each with its ready/serving/terminating conditions, so a slice follows
 * pod readiness. Legacy {@code v1} Endpoints are not written.
 */
final class ServiceController implements Reconciler {

  static final String NAME = "service";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String MANAGED_BY = "endpointslice-controller.k8s.io";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final BiConsumer<String, String> wake;
  private final Set<String> usedIps = new HashSet<>();
  private int nextIp = 10;

  /** {@code wake} enqueues a Service (namespace, name), so many pod changes make one reconcile. */
  ServiceController(StoreWriter writer, ClusterTypes types, BiConsumer<String, String> wake) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.wake = wake;
  }

  /** Remembers the cluster IPs already taken (once, at start). */
  void loadUsedIps() {
    for (ObjectNode svc : store.list(types.services(), null, s -> true)) {
      usedIps.add(svc.path("spec").path("clusterIP").asText(""));
    }
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode svc = store.get(types.services(), namespace, name).orElse(null);
    if (svc == null || Meta.deleting(svc)) {
      return null;
    }
    svc = assignClusterIp(svc);
    if (svc == null) {
      return null;
    }
    JsonNode selector = svc.path("spec").path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      return null;
    }
    List<ObjectNode> pods =
        store.list(
            types.pods(),
            namespace,
            p ->
                Selectors.matchesMap(selector, Meta.labels(p), false)
                    && !p.path("status").path("podIP").asText("").isEmpty()
                    && PodTemplates.active(p));
    syncSlice(svc, pods);
    return null;
  }

  /** A pod changed: wake the Services of its namespace that select it. */
  Duration podChanged(String namespace, String podName) {
    ObjectNode pod = store.get(types.pods(), namespace, podName).orElse(null);
    Map<String, String> labels = pod == null ? null : Meta.labels(pod);
    for (ObjectNode svc : store.list(types.services(), namespace, s -> true)) {
      JsonNode selector = svc.path("spec").path("selector");
      if (labels == null || Selectors.matchesMap(selector, labels, false)) {
        wake.accept(namespace, Meta.name(svc));
      }
    }
    return null;
  }

  private ObjectNode assignClusterIp(ObjectNode svc) {
    JsonNode spec = svc.path("spec");
    String current = spec.path("clusterIP").asText("");
    if (!current.isEmpty() || "ExternalName".equals(spec.path("type").asText())) {
      usedIps.add(current);
      return svc;
    }
    String ip;
    do {
      ip = "10.96." + (nextIp / 254) + "." + (nextIp % 254 + 1);
      nextIp = nextIp >= 254 * 256 - 1 ? 10 : nextIp + 1;
    } while (usedIps.contains(ip));
    usedIps.add(ip);
    String chosen = ip;
    return writer.modify(
        types.services(),
        Meta.namespace(svc),
        Meta.name(svc),
        false,
        s -> {
          ObjectNode sp = Meta.obj(s, "spec");
          if (!sp.path("clusterIP").asText("").isEmpty()) {
            return null;
          }
          sp.put("clusterIP", chosen);
          sp.putArray("clusterIPs").add(chosen);
          return s;
        });
  }

  private void syncSlice(ObjectNode svc, List<ObjectNode> pods) {
    String namespace = Meta.namespace(svc);
    String name = Meta.name(svc);
    ArrayNode endpoints = Meta.JSON.arrayNode();
    for (ObjectNode pod : pods) {
      boolean ready = PodTemplates.ready(pod);
      ObjectNode ep = endpoints.addObject();
      ep.putArray("addresses").add(pod.path("status").path("podIP").asText());
      ep.putObject("conditions")
          .put("ready", ready)
          .put("serving", ready)
          .put("terminating", false);
      ep.put("nodeName", pod.path("spec").path("nodeName").asText());
      ep.putObject("targetRef")
          .put("kind", "Pod")
          .put("namespace", namespace)
          .put("name", Meta.name(pod))
          .put("uid", Meta.uid(pod));
    }
    ArrayNode ports = ports(svc, pods);
    List<ObjectNode> slices =
        store.list(
            types.endpointSlices(),
            namespace,
            s ->
                name.equals(Meta.labels(s).get(SERVICE_NAME_LABEL))
                    && MANAGED_BY.equals(Meta.labels(s).get(MANAGED_BY_LABEL)));
    if (slices.isEmpty()) {
      ObjectNode slice =
          Meta.JSON
              .objectNode()
              .put("apiVersion", "discovery.k8s.io/v1")
              .put("kind", "EndpointSlice");
      ObjectNode meta = Meta.metadata(slice).put("namespace", namespace);
      meta.put("generateName", name + "-");
      meta.putObject("labels").put(SERVICE_NAME_LABEL, name).put(MANAGED_BY_LABEL, MANAGED_BY);
      meta.set("ownerReferences", Meta.ownerReferences(svc, "v1", "Service"));
      slice.put("addressType", "IPv4");
      slice.set("endpoints", endpoints);
      slice.set("ports", ports);
      writer.createWithSuffix(types.endpointSlices(), slice, name + "-");
      return;
    }
    writer.modify(
        types.endpointSlices(),
        namespace,
        Meta.name(slices.get(0)),
        false,
        s -> {
          s.set("endpoints", endpoints);
          s.set("ports", ports);
          return s;
        });
    for (ObjectNode extra : slices.subList(1, slices.size())) {
      writer.delete(types.endpointSlices(), namespace, Meta.name(extra));
    }
  }

  /** Service ports with targetPort resolved (a named port through the first pod that has it). */
  private static ArrayNode ports(JsonNode svc, List<ObjectNode> pods) {
    ArrayNode ports = Meta.JSON.arrayNode();
    for (JsonNode p : svc.path("spec").path("ports")) {
      JsonNode target = p.path("targetPort");
      int port;
      if (target.isMissingNode() || target.isNull()) {
        port = p.path("port").asInt();
      } else if (target.isNumber() || target.asText().matches("\\d+")) {
        port = target.asInt();
      } else {
        port = namedPort(pods, target.asText());
        if (port < 0) {
          continue;
        }
      }
      ports
          .addObject()
          .put("name", p.path("name").asText(""))
          .put("port", port)
          .put("protocol", p.path("protocol").asText("TCP"));
    }
    return ports;
  }

  private static int namedPort(List<ObjectNode> pods, String name) {
    for (ObjectNode pod : pods) {
      for (JsonNode c : pod.path("spec").path("containers")) {
        for (JsonNode cp : c.path("ports")) {
          if (name.equals(cp.path("name").asText())) {
            return cp.path("containerPort").asInt();
          }
        }
      }
    }
    return -1;
  }
}
