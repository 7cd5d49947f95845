package dev.flotilla.simulator.controller;

import dev.flotilla.simulator.store.ResourceType;
import java.util.List;

/** The built-in types the controllers need, as the real store's table will hold them. */
final class TestTypes {

  static final ResourceType NAMESPACES =
      core("Namespace", "namespaces", "namespace", List.of("ns"), false, List.of("status"));
  static final ResourceType NODES =
      core("Node", "nodes", "node", List.of("no"), false, List.of("status"));
  static final ResourceType PODS =
      core("Pod", "pods", "pod", List.of("po"), true, List.of("status", "log"));
  static final ResourceType SERVICES =
      core("Service", "services", "service", List.of("svc"), true, List.of("status"));
  static final ResourceType EVENTS =
      core("Event", "events", "event", List.of("ev"), true, List.of());
  static final ResourceType CONFIGMAPS =
      core("ConfigMap", "configmaps", "configmap", List.of("cm"), true, List.of());
  static final ResourceType DEPLOYMENTS =
      apps("Deployment", "deployments", "deployment", List.of("deploy"));
  static final ResourceType REPLICASETS =
      apps("ReplicaSet", "replicasets", "replicaset", List.of("rs"));
  static final ResourceType STATEFULSETS =
      apps("StatefulSet", "statefulsets", "statefulset", List.of("sts"));
  static final ResourceType DAEMONSETS =
      apps("DaemonSet", "daemonsets", "daemonset", List.of("ds"));
  static final ResourceType JOBS =
      new ResourceType("batch", "v1", "Job", "jobs", "job", List.of(), true, List.of("status"));
  static final ResourceType ENDPOINTSLICES =
      new ResourceType(
          "discovery.k8s.io",
          "v1",
          "EndpointSlice",
          "endpointslices",
          "endpointslice",
          List.of(),
          true,
          List.of());

  static final List<ResourceType> ALL =
      List.of(
          NAMESPACES,
          NODES,
          PODS,
          SERVICES,
          EVENTS,
          CONFIGMAPS,
          DEPLOYMENTS,
          REPLICASETS,
          STATEFULSETS,
          DAEMONSETS,
          JOBS,
          ENDPOINTSLICES);

  private TestTypes() {}

  private static ResourceType core(
      String kind,
      String plural,
      String singular,
      List<String> shortNames,
      boolean namespaced,
      List<String> subresources) {
    return new ResourceType("", "v1", kind, plural, singular, shortNames, namespaced, subresources);
  }

  private static ResourceType apps(
      String kind, String plural, String singular, List<String> shortNames) {
    return new ResourceType(
        "apps", "v1", kind, plural, singular, shortNames, true, List.of("status", "scale"));
  }
}
