package dev.flotilla.simulator.patch;

import dev.flotilla.simulator.store.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list merge rules of the built-in kinds, as the Kubernetes Go types declare them with {@code
 * patchStrategy}/{@code patchMergeKey} struct tags (k8s.io/api core/v1, apps/v1, batch/v1 types.go,
 * v1.32). A list without a tag is atomic: a patch replaces it. Tags used:
 *
 * <ul>
 *   <li>PodSpec: {@code containers}, {@code initContainers}, {@code ephemeralContainers}, {@code
 *       imagePullSecrets}, {@code resourceClaims}, {@code schedulingGates} by {@code name}; {@code
 *       volumes} by {@code name} ("merge,retainKeys"); {@code hostAliases} by {@code ip}; {@code
 *       topologySpreadConstraints} by {@code topologyKey} (its listMapKeys add whenUnsatisfiable,
 *       which only server-side apply would use); {@code tolerations}, {@code readinessGates}
 *       untagged.
 *   <li>Container: {@code env} by {@code name}; {@code ports} by {@code containerPort}; {@code
 *       volumeMounts} by {@code mountPath}; {@code volumeDevices} by {@code devicePath}; {@code
 *       args}, {@code command}, {@code envFrom}, {@code resizePolicy} untagged.
 *   <li>ServiceSpec {@code ports} by {@code port}; ServiceAccount {@code secrets} by {@code name}.
 *   <li>ObjectMeta: {@code ownerReferences} by {@code uid}; {@code finalizers} "merge" without a
 *       key, i.e. a set of strings.
 *   <li>Status: {@code conditions} by {@code type} (Pod, Deployment, ReplicaSet, StatefulSet,
 *       DaemonSet, Job, Namespace, Node, Service, PersistentVolumeClaim all tag it so); PodStatus
 *       {@code podIPs}/{@code hostIPs} by {@code ip}; NodeStatus {@code addresses} by {@code type}.
 * </ul>
 *
 * <p>For server-side apply, a LabelSelector ({@code spec.selector} of the workloads, a topology
 * spread constraint's {@code labelSelector}) is {@code +structType=atomic}: owned and replaced as a
 * whole.
 *
 * <p>Custom resources have no such tags: the real API server refuses strategic merge patches for
 * them, and server-side apply treats their lists as atomic here (we do not read CRD schemas).
 */
final class PatchStrategies {

  /** API groups served by kube-apiserver itself; any other group belongs to a CRD. */
  private static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "",
          "apps",
          "batch",
          "autoscaling",
          "policy",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "storage.k8s.io",
          "scheduling.k8s.io",
          "coordination.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "node.k8s.io",
          "certificates.k8s.io",
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io",
          "apiregistration.k8s.io",
          "flowcontrol.apiserver.k8s.io",
          "resource.k8s.io");

  private static final Map<String, List<String>> POD_SPEC_PATHS =
      Map.of(
          "Pod", List.of("spec"),
          "PodTemplate", List.of("template", "spec"),
          "Deployment", List.of("spec", "template", "spec"),
          "ReplicaSet", List.of("spec", "template", "spec"),
          "ReplicationController", List.of("spec", "template", "spec"),
          "StatefulSet", List.of("spec", "template", "spec"),
          "DaemonSet", List.of("spec", "template", "spec"),
          "Job", List.of("spec", "template", "spec"),
          "CronJob", List.of("spec", "jobTemplate", "spec", "template", "spec"));

  private static final PatchStrategies STANDARD = new PatchStrategies();

  /** Rules per kind, keyed by the dotted field path (list elements share their list's path). */
  private final Map<String, Map<String, ListStrategy>> byKind = new HashMap<>();

  private final Map<String, ListStrategy> common = new HashMap<>();

  /** Maps that are atomic for server-side apply ({@code +structType=atomic}: LabelSelector). */
  private final Map<String, Set<String>> atomicMaps = new HashMap<>();

  private PatchStrategies() {
    objectMeta(common, "metadata");
    common.put("status.conditions", ListStrategy.byKey("type"));
    POD_SPEC_PATHS.forEach(
        (kind, podSpec) -> {
          Map<String, ListStrategy> rules = rulesOf(kind);
          String prefix = String.join(".", podSpec);
          podSpec(rules, prefix);
          atomicMaps
              .computeIfAbsent(kind, k -> new java.util.HashSet<>())
              .add(prefix + ".topologySpreadConstraints.labelSelector");
          if (!kind.equals("Pod") && !kind.equals("PodTemplate")) {
            // the workload's own selector: after "template" is dropped from the pod spec path
            String workload = prefix.substring(0, prefix.length() - ".template.spec".length());
            atomicMaps.get(kind).add(workload + ".selector");
          }
          if (!kind.equals("Pod")) {
            // the template's own metadata is an ObjectMeta too
            objectMeta(
                rules, prefix.substring(0, prefix.length() - ".spec".length()) + ".metadata");
          }
        });
    rulesOf("Pod").put("status.podIPs", ListStrategy.byKey("ip"));
    rulesOf("Pod").put("status.hostIPs", ListStrategy.byKey("ip"));
    rulesOf("Service").put("spec.ports", ListStrategy.byKey("port"));
    rulesOf("ServiceAccount").put("secrets", ListStrategy.byKey("name"));
    rulesOf("Node").put("status.addresses", ListStrategy.byKey("type"));
  }

  static PatchStrategies standard() {
    return STANDARD;
  }

  /** Whether the type is built in (strategic merge patch allowed) or a custom resource. */
  boolean isBuiltIn(ResourceType type) {
    return BUILT_IN_GROUPS.contains(type.group());
  }

  /** How the list at this field path of an object of this type is merged. */
  ListStrategy list(ResourceType type, String path) {
    if (!isBuiltIn(type)) {
      return ListStrategy.ATOMIC;
    }
    ListStrategy rule = byKind.getOrDefault(type.kind(), Map.of()).get(path);
    if (rule == null) {
      rule = common.get(path);
    }
    return rule == null ? ListStrategy.ATOMIC : rule;
  }

  /** Whether server-side apply owns and replaces this map as a whole (a LabelSelector). */
  boolean isAtomicMap(ResourceType type, String path) {
    return isBuiltIn(type) && atomicMaps.getOrDefault(type.kind(), Set.of()).contains(path);
  }

  private Map<String, ListStrategy> rulesOf(String kind) {
    return byKind.computeIfAbsent(kind, k -> new HashMap<>());
  }

  private static void objectMeta(Map<String, ListStrategy> rules, String at) {
    rules.put(at + ".ownerReferences", ListStrategy.byKey("uid"));
    rules.put(at + ".finalizers", ListStrategy.SET);
  }

  private static void podSpec(Map<String, ListStrategy> rules, String at) {
    for (String containers : List.of("containers", "initContainers", "ephemeralContainers")) {
      String c = at + "." + containers;
      rules.put(c, ListStrategy.byKey("name"));
      rules.put(c + ".env", ListStrategy.byKey("name"));
      rules.put(c + ".ports", ListStrategy.byKey("containerPort"));
      rules.put(c + ".volumeMounts", ListStrategy.byKey("mountPath"));
      rules.put(c + ".volumeDevices", ListStrategy.byKey("devicePath"));
    }
    rules.put(at + ".volumes", ListStrategy.byKey("name"));
    rules.put(at + ".imagePullSecrets", ListStrategy.byKey("name"));
    rules.put(at + ".resourceClaims", ListStrategy.byKey("name"));
    rules.put(at + ".schedulingGates", ListStrategy.byKey("name"));
    rules.put(at + ".hostAliases", ListStrategy.byKey("ip"));
    rules.put(at + ".topologySpreadConstraints", ListStrategy.byKey("topologyKey"));
  }
}
