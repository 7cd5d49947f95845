package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The defaults a real API server fills in on every write of the common built-in kinds, so that
 * {@code kubectl describe} and {@code -o yaml} look as they do on a real cluster: a Service's type,
 * cluster IP (from 10.96.0.0/12, kept across updates) and port protocols; a Pod template's
 * restart/DNS/scheduler policies, container port protocols and image pull policy; a workload's
 * replicas, update strategy and history limit; a Secret's type. Fields a client set are never
 * changed.
 */
final class Defaults {

  private final AtomicInteger nextIp = new AtomicInteger(1);

  /**
   * @param stored the object as stored (an update), or null (a create)
   */
  void apply(ResourceType type, ObjectNode o, ObjectNode stored) {
    ObjectNode spec = o.path("spec") instanceof ObjectNode s ? s : null;
    switch (type.groupResource()) {
      case "secrets" -> putIfAbsent(o, "type", "Opaque");
      case "services" -> {
        if (spec != null) {
          service(spec, stored);
        }
      }
      case "pods" -> {
        if (spec != null) {
          podSpec(spec);
        }
      }
      case "deployments.apps" -> {
        if (spec != null) {
          putIfAbsent(spec, "replicas", 1);
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          putIfAbsent(spec, "progressDeadlineSeconds", 600);
          if (!spec.has("strategy")) {
            ObjectNode strategy = spec.putObject("strategy");
            strategy.put("type", "RollingUpdate");
            strategy.putObject("rollingUpdate").put("maxSurge", "25%").put("maxUnavailable", "25%");
          }
          template(spec);
        }
      }
      case "statefulsets.apps" -> {
        if (spec != null) {
          putIfAbsent(spec, "replicas", 1);
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
          if (!spec.has("updateStrategy")) {
            ObjectNode strategy = spec.putObject("updateStrategy");
            strategy.put("type", "RollingUpdate");
            strategy.putObject("rollingUpdate").put("partition", 0);
          }
          template(spec);
        }
      }
      case "daemonsets.apps" -> {
        if (spec != null) {
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          if (!spec.has("updateStrategy")) {
            ObjectNode strategy = spec.putObject("updateStrategy");
            strategy.put("type", "RollingUpdate");
            strategy.putObject("rollingUpdate").put("maxUnavailable", 1).put("maxSurge", 0);
          }
          template(spec);
        }
      }
      case "replicasets.apps" -> {
        if (spec != null) {
          putIfAbsent(spec, "replicas", 1);
          template(spec);
        }
      }
      case "jobs.batch" -> {
        if (spec != null) {
          putIfAbsent(spec, "backoffLimit", 6);
          putIfAbsent(spec, "completions", 1);
          putIfAbsent(spec, "parallelism", 1);
          template(spec);
        }
      }
      default -> {}
    }
  }

  private void service(ObjectNode spec, ObjectNode stored) {
    putIfAbsent(spec, "type", "ClusterIP");
    putIfAbsent(spec, "sessionAffinity", "None");
    if (!spec.path("type").asText().equals("ExternalName") && !spec.has("clusterIP")) {
      JsonNode kept = stored == null ? null : stored.path("spec").get("clusterIP");
      String ip;
      if (kept != null) {
        ip = kept.asText();
      } else {
        int n = nextIp.getAndIncrement();
        ip = "10.96." + ((n >> 8) & 0xff) + "." + (n & 0xff);
      }
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
      }
    }
  }

  private static void template(ObjectNode spec) {
    if (spec.path("template").path("spec") instanceof ObjectNode pod) {
      podSpec(pod);
    }
  }

  private static void podSpec(ObjectNode pod) {
    putIfAbsent(pod, "restartPolicy", "Always");
    putIfAbsent(pod, "dnsPolicy", "ClusterFirst");
    putIfAbsent(pod, "schedulerName", "default-scheduler");
    putIfAbsent(pod, "terminationGracePeriodSeconds", 30);
    if (!pod.has("securityContext")) {
      pod.putObject("securityContext");
    }
    for (String list : new String[] {"containers", "initContainers"}) {
      if (pod.path(list) instanceof ArrayNode containers) {
        containers.forEach(c -> container(c));
      }
    }
  }

  private static void container(JsonNode node) {
    if (!(node instanceof ObjectNode c)) {
      return;
    }
    String image = c.path("image").asText("");
    String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1);
    boolean latest = !tag.contains(":") || tag.endsWith(":latest");
    putIfAbsent(c, "imagePullPolicy", latest && !image.contains("@") ? "Always" : "IfNotPresent");
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
      }
    }
  }

  /** An empty string counts as unset, as Go's zero value does in the real defaulting. */
  private static void putIfAbsent(ObjectNode o, String field, String value) {
    if (!o.has(field) || o.get(field).isNull() || o.get(field).asText().isEmpty()) {
      o.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode o, String field, int value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }
}
