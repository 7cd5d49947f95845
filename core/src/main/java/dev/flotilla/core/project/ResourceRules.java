package dev.flotilla.core.project;

import java.util.List;
import java.util.Optional;

/**
 * What an AppProject permits a sync to write on one cluster: its four resource lists and, once the
 * cluster is known, its destinations there. The control plane builds it from the AppProject and
 * sends it with every assignment; the agent checks each rendered object against it with {@link
 * ResourcePermissions}, so both ends read the same rules the same way.
 *
 * @param namespaceAllow {@code namespaceResourceWhitelist}; empty when the field is not set (every
 *     namespaced kind permitted), whereas a present empty list permits none, as in Argo CD
 * @param destinations the project's destinations on the target cluster; empty when not known (then
 *     only the kind rules apply)
 */
public record ResourceRules(
    String project,
    List<ResourceRule> clusterAllow,
    List<ResourceRule> clusterDeny,
    Optional<List<ResourceRule>> namespaceAllow,
    List<ResourceRule> namespaceDeny,
    Optional<ClusterNamespaces> destinations) {

  public ResourceRules {
    clusterAllow = List.copyOf(clusterAllow);
    clusterDeny = List.copyOf(clusterDeny);
    namespaceAllow = namespaceAllow.map(List::copyOf);
    namespaceDeny = List.copyOf(namespaceDeny);
  }

  /** Rules that permit everything: the implicit {@code default} project, as in Argo CD. */
  public static ResourceRules allowAll(String project) {
    return new ResourceRules(
        project,
        List.of(new ResourceRule("*", "*", "")),
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** The same rules, bounded to the project's destinations on one cluster. */
  public ResourceRules withDestinations(ClusterNamespaces namespaces) {
    return new ResourceRules(
        project, clusterAllow, clusterDeny, namespaceAllow, namespaceDeny, Optional.of(namespaces));
  }
}
