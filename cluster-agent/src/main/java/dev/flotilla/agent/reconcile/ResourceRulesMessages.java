package dev.flotilla.agent.reconcile;

import dev.flotilla.core.project.ClusterNamespaces;
import dev.flotilla.core.project.ResourceRule;
import dev.flotilla.core.project.ResourceRules;
import dev.flotilla.proto.agent.v1.DestinationNamespace;
import java.util.List;
import java.util.Optional;

/**
 * The resource rules an assignment carries, read back into the core type the control plane built
 * them from, so that the agent decides with the same {@code ResourcePermissions}.
 */
final class ResourceRulesMessages {

  private ResourceRulesMessages() {}

  static ResourceRules fromMessage(dev.flotilla.proto.agent.v1.ResourceRules m) {
    return new ResourceRules(
        m.getProject(),
        entries(m.getClusterAllowList()),
        entries(m.getClusterDenyList()),
        m.hasNamespaceAllow()
            ? Optional.of(entries(m.getNamespaceAllow().getRulesList()))
            : Optional.empty(),
        entries(m.getNamespaceDenyList()),
        // Without destinations (the implicit default project) namespaces are not checked.
        m.hasDestinations()
            ? Optional.of(
                new ClusterNamespaces(
                    m.getDestinations().getEntriesList().stream()
                        .map(ResourceRulesMessages::entry)
                        .toList()))
            : Optional.empty());
  }

  private static ClusterNamespaces.Entry entry(DestinationNamespace d) {
    return new ClusterNamespaces.Entry(
        d.getNamespace(), d.getClusterMatched(), d.getExcludesCluster());
  }

  private static List<ResourceRule> entries(List<dev.flotilla.proto.agent.v1.ResourceRule> list) {
    return list.stream()
        .map(r -> new ResourceRule(r.getGroup(), r.getKind(), r.getName()))
        .toList();
  }
}
