package dev.flotilla.simulator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in kinds a SIMULATED cluster serves, with the plurals, short names, scope and
 * subresources of a real 1.32 API server, so that kubectl's discovery and short names work.
 */
public final class BuiltinTypes {

  /** Kinds kubectl's {@code get all} shows (the {@code all} category of the real server). */
  private static final Set<String> ALL_CATEGORY =
      Set.of(
          "pods",
          "services",
          "replicationcontrollers",
          "deployments.apps",
          "replicasets.apps",
          "statefulsets.apps",
          "daemonsets.apps",
          "jobs.batch",
          "cronjobs.batch");

  private static final List<ResourceType> TYPES = build();

  private BuiltinTypes() {}

  /** Every built-in type, core group first, in the order discovery lists them. */
  public static List<ResourceType> all() {
    return TYPES;
  }

  /** The type of this group and plural; fails if it is not built in (a programming error). */
  public static ResourceType of(String group, String plural) {
    return TYPES.stream()
        .filter(t -> t.group().equals(group) && t.plural().equals(plural))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a built-in type: " + plural));
  }

  public static final ResourceType NAMESPACES = of("", "namespaces");
  public static final ResourceType PODS = of("", "pods");
  public static final ResourceType EVENTS = of("", "events");
  public static final ResourceType CRDS = of("apiextensions.k8s.io", "customresourcedefinitions");

  /** The discovery categories of a type ({@code all} for workloads and services). */
  public static List<String> categories(ResourceType type) {
    return ALL_CATEGORY.contains(type.groupResource()) ? List.of("all") : List.of();
  }

  private static List<ResourceType> build() {
    List<ResourceType> t = new ArrayList<>();
    String core = "";
    t.add(ns(core, "v1", "Pod", "pods", List.of("status", "log"), "po"));
    t.add(ns(core, "v1", "Service", "services", List.of("status"), "svc"));
    t.add(ns(core, "v1", "ConfigMap", "configmaps", List.of(), "cm"));
    t.add(ns(core, "v1", "Secret", "secrets", List.of()));
    t.add(ns(core, "v1", "ServiceAccount", "serviceaccounts", List.of(), "sa"));
    t.add(ns(core, "v1", "Endpoints", "endpoints", List.of(), "ep"));
    t.add(ns(core, "v1", "Event", "events", List.of(), "ev"));
    t.add(ns(core, "v1", "PersistentVolumeClaim", "persistentvolumeclaims", status(), "pvc"));
    t.add(ns(core, "v1", "ReplicationController", "replicationcontrollers", scale(), "rc"));
    t.add(ns(core, "v1", "LimitRange", "limitranges", List.of(), "limits"));
    t.add(ns(core, "v1", "ResourceQuota", "resourcequotas", status(), "quota"));
    t.add(ns(core, "v1", "PodTemplate", "podtemplates", List.of()));
    t.add(cluster(core, "v1", "Namespace", "namespaces", status(), "ns"));
    t.add(cluster(core, "v1", "Node", "nodes", status(), "no"));
    t.add(cluster(core, "v1", "PersistentVolume", "persistentvolumes", status(), "pv"));
    String apps = "apps";
    t.add(ns(apps, "v1", "Deployment", "deployments", scale(), "deploy"));
    t.add(ns(apps, "v1", "ReplicaSet", "replicasets", scale(), "rs"));
    t.add(ns(apps, "v1", "StatefulSet", "statefulsets", scale(), "sts"));
    t.add(ns(apps, "v1", "DaemonSet", "daemonsets", status(), "ds"));
    t.add(ns(apps, "v1", "ControllerRevision", "controllerrevisions", List.of()));
    t.add(ns("batch", "v1", "Job", "jobs", status()));
    t.add(ns("batch", "v1", "CronJob", "cronjobs", status(), "cj"));
    String net = "networking.k8s.io";
    t.add(ns(net, "v1", "Ingress", "ingresses", status(), "ing"));
    t.add(ns(net, "v1", "NetworkPolicy", "networkpolicies", List.of(), "netpol"));
    t.add(cluster(net, "v1", "IngressClass", "ingressclasses", List.of()));
    String rbac = "rbac.authorization.k8s.io";
    t.add(ns(rbac, "v1", "Role", "roles", List.of()));
    t.add(ns(rbac, "v1", "RoleBinding", "rolebindings", List.of()));
    t.add(cluster(rbac, "v1", "ClusterRole", "clusterroles", List.of()));
    t.add(cluster(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", List.of()));
    t.add(
        cluster(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            status(),
            "crd",
            "crds"));
    t.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of()));
    t.add(ns("events.k8s.io", "v1", "Event", "events", List.of(), "ev"));
    t.add(ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", status(), "pdb"));
    t.add(
        ns(
            "autoscaling",
            "v2",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
            status(),
            "hpa"));
    t.add(ns("coordination.k8s.io", "v1", "Lease", "leases", List.of()));
    String storage = "storage.k8s.io";
    t.add(cluster(storage, "v1", "StorageClass", "storageclasses", List.of(), "sc"));
    t.add(cluster(storage, "v1", "VolumeAttachment", "volumeattachments", status()));
    t.add(cluster(storage, "v1", "CSIDriver", "csidrivers", List.of()));
    t.add(cluster(storage, "v1", "CSINode", "csinodes", List.of()));
    return List.copyOf(t);
  }

  private static List<String> status() {
    return List.of("status");
  }

  private static List<String> scale() {
    return List.of("status", "scale");
  }

  private static ResourceType ns(
      String group,
      String version,
      String kind,
      String plural,
      List<String> subresources,
      String... shortNames) {
    return type(group, version, kind, plural, true, subresources, shortNames);
  }

  private static ResourceType cluster(
      String group,
      String version,
      String kind,
      String plural,
      List<String> subresources,
      String... shortNames) {
    return type(group, version, kind, plural, false, subresources, shortNames);
  }

  private static ResourceType type(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      List<String> subresources,
      String... shortNames) {
    return new ResourceType(
        group,
        version,
        kind,
        plural,
        kind.toLowerCase(Locale.ROOT),
        List.of(shortNames),
        namespaced,
        subresources);
  }
}
