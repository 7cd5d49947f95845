package dev.flotilla.simulator.store;

import java.util.List;

/**
 * One kind of object the simulated API server serves: where it lives in the REST API and how
 * kubectl names it. Built-in kinds come from a fixed table; a CustomResourceDefinition adds one.
 *
 * @param group API group, empty for the core group ("" → {@code /api/v1})
 * @param version served version, e.g. {@code v1}
 * @param kind e.g. {@code Deployment}
 * @param plural REST resource name, e.g. {@code deployments}
 * @param singular e.g. {@code deployment}
 * @param shortNames kubectl short names, e.g. {@code [deploy]}
 * @param namespaced whether objects live in a namespace
 * @param subresources e.g. {@code [status, scale]}, or {@code [log]} for Pods
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    boolean namespaced,
    List<String> subresources) {

  public ResourceType {
    shortNames = List.copyOf(shortNames);
    subresources = List.copyOf(subresources);
  }

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code deployments.apps}, or {@code pods} for the core group: the key of a type. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}
