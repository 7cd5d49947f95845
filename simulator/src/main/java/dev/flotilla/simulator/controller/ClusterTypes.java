package dev.flotilla.simulator.controller;

import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;

/** The built-in types the controllers read and write, looked up once in the store's table. */
record ClusterTypes(
    ResourceType deployments,
    ResourceType replicaSets,
    ResourceType statefulSets,
    ResourceType daemonSets,
    ResourceType jobs,
    ResourceType pods,
    ResourceType services,
    ResourceType endpointSlices,
    ResourceType namespaces,
    ResourceType nodes,
    ResourceType events) {

  static ClusterTypes resolve(ObjectStore store) {
    return new ClusterTypes(
        require(store, "apps", "deployments"),
        require(store, "apps", "replicasets"),
        require(store, "apps", "statefulsets"),
        require(store, "apps", "daemonsets"),
        require(store, "batch", "jobs"),
        require(store, "", "pods"),
        require(store, "", "services"),
        require(store, "discovery.k8s.io", "endpointslices"),
        require(store, "", "namespaces"),
        require(store, "", "nodes"),
        require(store, "", "events"));
  }

  private static ResourceType require(ObjectStore store, String group, String plural) {
    return store
        .type(group, plural)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the simulated cluster serves no "
                        + (group.isEmpty() ? plural : plural + "." + group)
                        + ": the controller manager needs every built-in workload type"));
  }
}
