package dev.flotilla.controlplane.project;

import dev.flotilla.core.project.ClusterNamespaces;
import dev.flotilla.core.project.ResourceRule;
import dev.flotilla.core.project.ResourceRules;
import dev.flotilla.proto.agent.v1.DestinationNamespace;
import dev.flotilla.proto.agent.v1.DestinationNamespaces;
import dev.flotilla.proto.agent.v1.ResourceRuleList;
import java.util.List;

/**
 * A project's {@link ResourceRules} as the assignment message carries them to the agent, which
 * reads them back into the same core type and decides with the same {@code ResourcePermissions}.
 */
final class ResourceRulesMessages {

  private ResourceRulesMessages() {}

  static dev.flotilla.proto.agent.v1.ResourceRules toMessage(ResourceRules rules) {
    var b =
        dev.flotilla.proto.agent.v1.ResourceRules.newBuilder()
            .setProject(rules.project())
            .addAllClusterAllow(entries(rules.clusterAllow()))
            .addAllClusterDeny(entries(rules.clusterDeny()))
            .addAllNamespaceDeny(entries(rules.namespaceDeny()));
    rules
        .namespaceAllow()
        .ifPresent(
            allow ->
                b.setNamespaceAllow(ResourceRuleList.newBuilder().addAllRules(entries(allow))));
    rules.destinations().ifPresent(d -> b.setDestinations(destinations(d)));
    return b.build();
  }

  private static DestinationNamespaces destinations(ClusterNamespaces namespaces) {
    DestinationNamespaces.Builder b = DestinationNamespaces.newBuilder();
    for (ClusterNamespaces.Entry e : namespaces.entries()) {
      b.addEntries(
          DestinationNamespace.newBuilder()
              .setNamespace(e.namespace())
              .setClusterMatched(e.clusterMatched())
              .setExcludesCluster(e.excludesCluster()));
    }
    return b.build();
  }

  private static List<dev.flotilla.proto.agent.v1.ResourceRule> entries(List<ResourceRule> rules) {
    return rules.stream()
        .map(
            r ->
                dev.flotilla.proto.agent.v1.ResourceRule.newBuilder()
                    .setGroup(r.group())
                    .setKind(r.kind())
                    .setName(r.name())
                    .build())
        .toList();
  }
}
