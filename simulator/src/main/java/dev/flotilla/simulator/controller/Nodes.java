package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import java.time.Clock;
import java.util.List;

/**
 * The simulated nodes {@code sim-node-1..N}: Ready, labelled like kind's nodes plus {@code
 * flotilla.dev/simulated=true}, each with its own pod CIDR ({@code 10.244.i.0/24}) and address
 * ({@code 172.18.0.(i+1)}).
 */
final class Nodes {

  static final String SIMULATED_LABEL = "flotilla.dev/simulated";
  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private final ObjectStore store;
  private final ResourceType nodes;

  Nodes(ObjectStore store, ResourceType nodes) {
    this.store = store;
    this.nodes = nodes;
  }

  static String nodeName(int index) {
    return "sim-node-" + index;
  }

  /** Creates the missing nodes; nodes that already exist (a restarted manager) are kept. */
  void ensure(int count, Clock clock) {
    for (int i = 1; i <= count; i++) {
      String name = nodeName(i);
      if (store.get(nodes, "", name).isPresent()) {
        continue;
      }
      ObjectNode node = Meta.JSON.objectNode().put("apiVersion", "v1").put("kind", "Node");
      ObjectNode labels = Meta.metadata(node).put("name", name).putObject("labels");
      labels
          .put("kubernetes.io/arch", "amd64")
          .put("kubernetes.io/os", "linux")
          .put("beta.kubernetes.io/arch", "amd64")
          .put("beta.kubernetes.io/os", "linux")
          .put(HOSTNAME_LABEL, name)
          .put(SIMULATED_LABEL, "true");
      node.putObject("spec")
          .put("podCIDR", "10.244." + i + ".0/24")
          .put("providerID", "simulated://" + name)
          .putArray("podCIDRs")
          .add("10.244." + i + ".0/24");
      ObjectNode created;
      try {
        created = store.create(nodes, node);
      } catch (StoreException.AlreadyExists e) {
        continue;
      }
      created.set("status", status(name, "172.18.0." + (i + 1), Meta.time(clock.instant())));
      store.updateStatus(nodes, created);
    }
  }

  private static ObjectNode status(String name, String ip, String now) {
    ObjectNode status = Meta.JSON.objectNode();
    ObjectNode capacity =
        status.putObject("capacity").put("cpu", "4").put("memory", "8Gi").put("pods", "110");
    capacity.put("ephemeral-storage", "100Gi");
    status.set("allocatable", capacity.deepCopy());
    var conditions = status.putArray("conditions");
    condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", now);
    condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", now);
    condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", now);
    condition(conditions, "Ready", "True", "KubeletReady", now)
        .put("message", "kubelet is posting ready status (SIMULATED)");
    var addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", ip);
    addresses.addObject().put("type", "Hostname").put("address", name);
    status
        .putObject("nodeInfo")
        .put("architecture", "amd64")
        .put("operatingSystem", "linux")
        .put("osImage", "Flotilla simulated node")
        .put("kernelVersion", "simulated")
        .put("containerRuntimeVersion", "simulated://1.0")
        .put("kubeletVersion", "v1.32.0-simulated")
        .put("kubeProxyVersion", "v1.32.0-simulated")
        .put("machineID", name)
        .put("systemUUID", name)
        .put("bootID", name);
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
    return status;
  }

  private static ObjectNode condition(
      com.fasterxml.jackson.databind.node.ArrayNode conditions,
      String type,
      String status,
      String reason,
      String now) {
    return conditions
        .addObject()
        .put("type", type)
        .put("status", status)
        .put("reason", reason)
        .put("lastHeartbeatTime", now)
        .put("lastTransitionTime", now);
  }

  /** The nodes now in the store (a handful), sorted by name. */
  List<ObjectNode> all() {
    return store.list(nodes, null, n -> true);
  }

  /** Nodes whose Ready condition is True: the ones the scheduler and DaemonSets use. */
  List<ObjectNode> ready() {
    return all().stream()
        .filter(n -> "True".equals(Meta.condition(n, "Ready").path("status").asText()))
        .toList();
  }

  static String internalIp(JsonNode node) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if ("InternalIP".equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "";
  }
}
