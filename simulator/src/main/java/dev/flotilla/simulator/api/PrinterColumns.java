package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns {@code kubectl get} shows for each common kind, as the real server's table convertors
 * define them (priority 1 = only with {@code -o wide}). Kinds not listed get NAME and AGE.
 */
final class PrinterColumns {

  /** One column; the cell function gets the object and "now". */
  record Column(String name, String type, int priority, Cell cell) {}

  @FunctionalInterface
  interface Cell {
    Object value(ObjectNode object, Instant now);
  }

  private static final String NONE = "<none>";

  private PrinterColumns() {}

  static List<Column> of(ResourceType type) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("Name", "string", 0, (o, now) -> o.path("metadata").path("name").asText()));
    String key = type.groupResource();
    switch (key) {
      case "pods" -> PodColumns.add(c);
      case "deployments.apps" -> {
        c.add(str("Ready", o -> int0(o, "status", "readyReplicas") + "/" + replicas(o)));
        c.add(integer("Up-to-date", o -> int0(o, "status", "updatedReplicas")));
        c.add(integer("Available", o -> int0(o, "status", "availableReplicas")));
        age(c);
        workloadWide(c);
      }
      case "replicasets.apps", "replicationcontrollers" -> {
        c.add(integer("Desired", PrinterColumns::replicas));
        c.add(integer("Current", o -> int0(o, "status", "replicas")));
        c.add(integer("Ready", o -> int0(o, "status", "readyReplicas")));
        age(c);
        workloadWide(c);
      }
      case "statefulsets.apps" -> {
        c.add(str("Ready", o -> int0(o, "status", "readyReplicas") + "/" + replicas(o)));
        age(c);
        c.add(wide("Containers", o -> containers(o, "name")));
        c.add(wide("Images", o -> containers(o, "image")));
      }
      case "daemonsets.apps" -> {
        c.add(integer("Desired", o -> int0(o, "status", "desiredNumberScheduled")));
        c.add(integer("Current", o -> int0(o, "status", "currentNumberScheduled")));
        c.add(integer("Ready", o -> int0(o, "status", "numberReady")));
        c.add(integer("Up-to-date", o -> int0(o, "status", "updatedNumberScheduled")));
        c.add(integer("Available", o -> int0(o, "status", "numberAvailable")));
        c.add(
            str(
                "Node Selector",
                o -> pairs(o.path("spec").path("template").path("spec").path("nodeSelector"))));
        age(c);
        workloadWide(c);
      }
      case "jobs.batch" -> {
        c.add(str("Status", PrinterColumns::jobStatus));
        c.add(
            str(
                "Completions",
                o ->
                    int0(o, "status", "succeeded")
                        + "/"
                        + o.path("spec").path("completions").asInt(1)));
        c.add(new Column("Duration", "string", 0, PrinterColumns::jobDuration));
        age(c);
        workloadWide(c);
      }
      case "cronjobs.batch" -> {
        c.add(str("Schedule", o -> o.path("spec").path("schedule").asText()));
        c.add(str("Timezone", o -> o.path("spec").path("timeZone").asText(NONE)));
        c.add(
            str(
                "Suspend",
                o -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"));
        c.add(integer("Active", o -> o.path("status").path("active").size()));
        c.add(
            new Column(
                "Last Schedule",
                "string",
                0,
                (o, now) -> since(o.path("status").path("lastScheduleTime"), now)));
        age(c);
      }
      case "services" -> {
        c.add(str("Type", o -> o.path("spec").path("type").asText("ClusterIP")));
        c.add(str("Cluster-IP", o -> o.path("spec").path("clusterIP").asText(NONE)));
        c.add(str("External-IP", PrinterColumns::externalIp));
        c.add(str("Port(s)", PrinterColumns::ports));
        age(c);
        c.add(wide("Selector", o -> pairs(o.path("spec").path("selector"))));
      }
      case "configmaps" -> {
        c.add(integer("Data", o -> o.path("data").size() + o.path("binaryData").size()));
        age(c);
      }
      case "secrets" -> {
        c.add(str("Type", o -> o.path("type").asText("Opaque")));
        c.add(integer("Data", o -> o.path("data").size()));
        age(c);
      }
      case "namespaces" -> {
        c.add(str("Status", o -> o.path("status").path("phase").asText("Active")));
        age(c);
      }
      case "nodes" -> {
        c.add(str("Status", PrinterColumns::nodeStatus));
        c.add(str("Roles", PrinterColumns::nodeRoles));
        age(c);
        c.add(
            str(
                "Version",
                o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
        c.add(wide("Internal-IP", o -> address(o, "InternalIP")));
        c.add(wide("External-IP", o -> address(o, "ExternalIP")));
        c.add(wide("OS-Image", o -> o.path("status").path("nodeInfo").path("osImage").asText("")));
        c.add(
            wide(
                "Container-Runtime",
                o -> o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText("")));
      }
      case "events" -> EventColumns.add(c);
      case "events.events.k8s.io" -> EventColumns.add(c);
      case "serviceaccounts" -> {
        c.add(integer("Secrets", o -> o.path("secrets").size()));
        age(c);
      }
      case "endpoints" -> {
        c.add(str("Endpoints", PrinterColumns::endpoints));
        age(c);
      }
      case "persistentvolumeclaims" -> {
        c.add(str("Status", o -> o.path("status").path("phase").asText("Pending")));
        c.add(str("Volume", o -> o.path("spec").path("volumeName").asText("")));
        c.add(str("Capacity", o -> o.path("status").path("capacity").path("storage").asText("")));
        c.add(str("Access Modes", o -> join(o.path("status").path("accessModes"))));
        c.add(str("StorageClass", o -> o.path("spec").path("storageClassName").asText(NONE)));
        c.add(
            str(
                "VolumeAttributesClass",
                o -> o.path("spec").path("volumeAttributesClassName").asText(NONE)));
        age(c);
      }
      case "ingresses.networking.k8s.io" -> {
        c.add(str("Class", o -> o.path("spec").path("ingressClassName").asText(NONE)));
        c.add(str("Hosts", PrinterColumns::hosts));
        c.add(
            str("Address", o -> join(o.path("status").path("loadBalancer").path("ingress"), "ip")));
        c.add(str("Ports", o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"));
        age(c);
      }
      case "customresourcedefinitions.apiextensions.k8s.io" ->
          c.add(
              new Column(
                  "Created At",
                  "date",
                  0,
                  (o, now) -> o.path("metadata").path("creationTimestamp").asText()));
      case "horizontalpodautoscalers.autoscaling" -> {
        c.add(
            str(
                "Reference",
                o ->
                    o.path("spec").path("scaleTargetRef").path("kind").asText()
                        + "/"
                        + o.path("spec").path("scaleTargetRef").path("name").asText()));
        c.add(str("Targets", o -> "<unknown>"));
        c.add(integer("MinPods", o -> o.path("spec").path("minReplicas").asInt(1)));
        c.add(integer("MaxPods", o -> o.path("spec").path("maxReplicas").asInt()));
        c.add(integer("Replicas", o -> int0(o, "status", "currentReplicas")));
        age(c);
      }
      case "poddisruptionbudgets.policy" -> {
        c.add(str("Min Available", o -> o.path("spec").path("minAvailable").asText("N/A")));
        c.add(str("Max Unavailable", o -> o.path("spec").path("maxUnavailable").asText("N/A")));
        c.add(integer("Allowed Disruptions", o -> int0(o, "status", "disruptionsAllowed")));
        age(c);
      }
      default -> age(c);
    }
    return c;
  }

  static String age(JsonNode timestamp, Instant now) {
    if (!timestamp.isTextual()) {
      return "<unknown>";
    }
    try {
      return human(Duration.between(Instant.parse(timestamp.asText()), now));
    } catch (java.time.format.DateTimeParseException e) {
      return "<invalid>";
    }
  }

  static String since(JsonNode timestamp, Instant now) {
    return timestamp.isTextual() ? age(timestamp, now) : NONE;
  }

  /** kubectl's HumanDuration: 45s, 3m12s, 25m, 5h3m, 30h, 4d2h, 60d, 3y. */
  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
    }
    if (h < 48) {
      return h + "h";
    }
    if (h < 24 * 8) {
      return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d" + (h % 24) + "h";
    }
    long days = h / 24;
    return days < 365 * 2 ? days + "d" : (days / 365) + "y";
  }

  static void age(List<Column> c) {
    c.add(
        new Column(
            "Age",
            "string",
            0,
            (o, now) -> age(o.path("metadata").path("creationTimestamp"), now)));
  }

  static Column str(String name, Function<ObjectNode, Object> f) {
    return new Column(name, "string", 0, (o, now) -> f.apply(o));
  }

  static Column integer(String name, Function<ObjectNode, Object> f) {
    return new Column(name, "integer", 0, (o, now) -> f.apply(o));
  }

  static Column wide(String name, Function<ObjectNode, Object> f) {
    return new Column(name, "string", 1, (o, now) -> f.apply(o));
  }

  static int int0(ObjectNode o, String a, String b) {
    return o.path(a).path(b).asInt(0);
  }

  static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out.isEmpty() ? NONE : String.join(",", out);
  }

  static String join(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out.isEmpty() ? "" : String.join(",", out);
  }

  static String pairs(JsonNode map) {
    List<String> out = new ArrayList<>();
    map.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out.isEmpty() ? NONE : String.join(",", out);
  }

  private static int replicas(ObjectNode o) {
    return o.path("spec").path("replicas").asInt(1);
  }

  private static void workloadWide(List<Column> c) {
    c.add(wide("Containers", o -> containers(o, "name")));
    c.add(wide("Images", o -> containers(o, "image")));
    c.add(wide("Selector", o -> pairs(o.path("spec").path("selector").path("matchLabels"))));
  }

  private static String containers(ObjectNode o, String field) {
    return join(o.path("spec").path("template").path("spec").path("containers"), field);
  }

  private static String jobStatus(ObjectNode o) {
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("status").asText().equals("True")
          && List.of("Complete", "Failed", "Suspended").contains(c.path("type").asText())) {
        return c.path("type").asText();
      }
    }
    return "Running";
  }

  private static String jobDuration(ObjectNode o, Instant now) {
    JsonNode start = o.path("status").path("startTime");
    if (!start.isTextual()) {
      return "";
    }
    JsonNode end = o.path("status").path("completionTime");
    Instant until = end.isTextual() ? Instant.parse(end.asText()) : now;
    return human(Duration.between(Instant.parse(start.asText()), until));
  }

  private static String externalIp(ObjectNode o) {
    List<String> ips = new ArrayList<>();
    o.path("status")
        .path("loadBalancer")
        .path("ingress")
        .forEach(i -> ips.add(i.path("ip").asText(i.path("hostname").asText())));
    o.path("spec").path("externalIPs").forEach(i -> ips.add(i.asText()));
    if (ips.isEmpty()) {
      return o.path("spec").path("type").asText().equals("LoadBalancer") ? "<pending>" : NONE;
    }
    return String.join(",", ips);
  }

  private static String ports(ObjectNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      String node = p.has("nodePort") ? ":" + p.path("nodePort").asText() : "";
      out.add(p.path("port").asText() + node + "/" + p.path("protocol").asText("TCP"));
    }
    return out.isEmpty() ? NONE : String.join(",", out);
  }

  private static String nodeStatus(ObjectNode o) {
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    return "Unknown";
  }

  private static String nodeRoles(ObjectNode o) {
    List<String> roles = new ArrayList<>();
    o.path("metadata")
        .path("labels")
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.startsWith("node-role.kubernetes.io/")) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
              }
            });
    return roles.isEmpty() ? NONE : String.join(",", roles);
  }

  private static String address(ObjectNode o, String type) {
    for (JsonNode a : o.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return NONE;
  }

  private static String endpoints(ObjectNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode subset : o.path("subsets")) {
      for (JsonNode a : subset.path("addresses")) {
        for (JsonNode p : subset.path("ports")) {
          out.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    return out.isEmpty() ? NONE : String.join(",", out);
  }

  private static String hosts(ObjectNode o) {
    List<String> out = new ArrayList<>();
    o.path("spec").path("rules").forEach(r -> out.add(r.path("host").asText("*")));
    return out.isEmpty() ? "*" : String.join(",", out);
  }
}
