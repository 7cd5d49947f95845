package dev.flotilla.core.project;

import dev.flotilla.core.glob.Glob;
import java.util.List;
import java.util.Optional;

/**
 * Argo CD's AppProject resource white- and blacklists, and the project's destinations on the
 * cluster, applied to one object: the control plane uses it to validate patterns when a project is
 * applied, the agent to check every rendered object before a sync writes anything. Pure code in
 * core, so that both ends decide identically.
 *
 * <p>Patterns follow Go's {@code filepath.Match}, as Argo CD matches group, kind and name ({@link
 * Glob.Mode#RESOURCE}). A malformed pattern is refused when the project is applied; should one
 * reach the agent anyway it never widens access (an allow entry matches nothing, a deny entry
 * everything).
 */
public final class ResourcePermissions {

  /** Whether a kind is cluster-scoped or namespaced, as far as the agent can tell. */
  public enum Scope {
    CLUSTER,
    NAMESPACED,
    /** Neither built in, nor served by discovery, nor defined by a CustomResourceDefinition. */
    UNKNOWN
  }

  private ResourcePermissions() {}

  /**
   * Why the object may not be synced under {@code rules}, or empty when it may. The reason names
   * the object, the project and the rule, e.g. {@code resource apps:Deployment shop/web is not
   * permitted in project 'team-a' (namespaced; denied by namespaceResourceBlacklist entry {group:
   * 'apps', kind: '*'})}. A kind the rules permit must also be in a namespace the project's
   * destinations permit on this cluster (when {@code rules} carry them), unless it is
   * cluster-scoped: an object of unknown scope is checked both ways.
   *
   * @param namespace the object's namespace, empty for cluster-scoped objects
   */
  public static Optional<String> violation(
      ResourceRules rules, String group, String kind, String namespace, String name, Scope scope) {
    Optional<String> byKind = kindViolation(rules, group, kind, namespace, name, scope);
    if (byKind.isPresent()
        || rules.destinations().isEmpty()
        || scope == Scope.CLUSTER
        || namespace == null
        || namespace.isEmpty()) {
      return byKind;
    }
    return rules
        .destinations()
        .get()
        .violation(namespace)
        .map(why -> namespaceMessage(rules, group, kind, namespace, name, why));
  }

  /**
   * Argo CD's message, preceded by the object, e.g. {@code resource apps:Deployment
   * kube-system/web: namespace kube-system is not permitted in project 'team-a' (destinations on
   * this cluster permit 'team-a-*')}.
   */
  private static String namespaceMessage(
      ResourceRules rules, String group, String kind, String namespace, String name, String why) {
    return "resource "
        + group
        + ":"
        + kind
        + " "
        + namespace
        + "/"
        + name
        + ": namespace "
        + namespace
        + " is not permitted in project '"
        + rules.project()
        + "' ("
        + why
        + ")";
  }

  private static Optional<String> kindViolation(
      ResourceRules rules, String group, String kind, String namespace, String name, Scope scope) {
    Optional<String> why =
        switch (scope) {
          case CLUSTER -> clusterViolation(rules, group, kind, name);
          case NAMESPACED -> namespacedViolation(rules, group, kind, name);
          case UNKNOWN ->
              clusterViolation(rules, group, kind, name)
                  .or(() -> namespacedViolation(rules, group, kind, name))
                  .map(
                      w ->
                          "scope unknown, so it must be permitted both cluster-scoped and"
                              + " namespaced; "
                              + w);
        };
    return why.map(
        w ->
            "resource "
                + group
                + ":"
                + kind
                + " "
                + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
                + name
                + " is not permitted in project '"
                + rules.project()
                + "' ("
                + w
                + ")");
  }

  private static Optional<String> clusterViolation(
      ResourceRules rules, String group, String kind, String name) {
    if (rules.clusterAllow().isEmpty()) {
      return Optional.of(
          "cluster-scoped; the project has no clusterResourceWhitelist entries, which permits no"
              + " cluster-scoped resources");
    }
    if (first(rules.clusterAllow(), group, kind, name, false).isEmpty()) {
      return Optional.of("cluster-scoped; no clusterResourceWhitelist entry matches it");
    }
    return first(rules.clusterDeny(), group, kind, name, true)
        .map(r -> "cluster-scoped; denied by clusterResourceBlacklist entry " + r.describe());
  }

  private static Optional<String> namespacedViolation(
      ResourceRules rules, String group, String kind, String name) {
    if (rules.namespaceAllow().isPresent()) {
      List<ResourceRule> allow = rules.namespaceAllow().get();
      if (allow.isEmpty()) {
        return Optional.of(
            "namespaced; the project's namespaceResourceWhitelist is empty, which permits no"
                + " namespaced resources");
      }
      if (first(allow, group, kind, name, false).isEmpty()) {
        return Optional.of("namespaced; no namespaceResourceWhitelist entry matches it");
      }
    }
    return first(rules.namespaceDeny(), group, kind, name, true)
        .map(r -> "namespaced; denied by namespaceResourceBlacklist entry " + r.describe());
  }

  private static Optional<ResourceRule> first(
      List<ResourceRule> list, String group, String kind, String name, boolean deny) {
    for (ResourceRule r : list) {
      if (matches(r.group(), group, deny)
          && matches(r.kind(), kind, deny)
          && (r.name().isEmpty() || matches(r.name(), name, deny))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * A resource list entry against a value, with {@link Glob.Mode#RESOURCE}. A malformed pattern is
   * refused when the project is applied; should one reach here anyway it never widens access: as an
   * allow entry it matches nothing, as a deny entry everything.
   */
  private static boolean matches(String pattern, String value, boolean deny) {
    if (Glob.error(pattern, Glob.Mode.RESOURCE).isPresent()) {
      return deny;
    }
    return Glob.matches(pattern, value, Glob.Mode.RESOURCE, deny);
  }
}
