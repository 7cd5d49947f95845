package dev.flotilla.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.glob.Glob;
import dev.flotilla.core.glob.Glob.Mode;
import dev.flotilla.core.project.ResourcePermissions.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourcePermissionsTest {

  static ResourceRule rule(String group, String kind) {
    return new ResourceRule(group, kind, "");
  }

  static ResourceRule rule(String group, String kind, String name) {
    return new ResourceRule(group, kind, name);
  }

  /** A project with nothing but a name: Argo's most restrictive-for-cluster default. */
  static Rules bare() {
    return new Rules();
  }

  /** Builds {@link ResourceRules} list by list, as a project is written. */
  static final class Rules {
    private final List<ResourceRule> clusterAllow = new ArrayList<>();
    private final List<ResourceRule> clusterDeny = new ArrayList<>();
    private Optional<List<ResourceRule>> namespaceAllow = Optional.empty();
    private final List<ResourceRule> namespaceDeny = new ArrayList<>();

    Rules addClusterAllow(ResourceRule r) {
      clusterAllow.add(r);
      return this;
    }

    Rules addClusterDeny(ResourceRule r) {
      clusterDeny.add(r);
      return this;
    }

    Rules setNamespaceAllow(List<ResourceRule> rules) {
      namespaceAllow = Optional.of(rules);
      return this;
    }

    Rules addNamespaceDeny(ResourceRule r) {
      namespaceDeny.add(r);
      return this;
    }

    ResourceRules build() {
      return new ResourceRules(
          "team-a", clusterAllow, clusterDeny, namespaceAllow, namespaceDeny, Optional.empty());
    }
  }

  record Case(
      String name,
      ResourceRules rules,
      String group,
      String kind,
      String object,
      Scope scope,
      String violationContains) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    ResourceRules noLists = bare().build();
    ResourceRules denyDeployments = bare().addNamespaceDeny(rule("apps", "Deployment")).build();
    ResourceRules emptyNamespaceWhitelist = bare().setNamespaceAllow(List.of()).build();
    ResourceRules onlyConfig =
        bare().setNamespaceAllow(List.of(rule("", "ConfigMap"), rule("", "Secret"))).build();
    ResourceRules namespacesOnly = bare().addClusterAllow(rule("", "Namespace")).build();
    ResourceRules everythingButCrds =
        bare()
            .addClusterAllow(rule("*", "*"))
            .addClusterDeny(rule("apiextensions.k8s.io", "*"))
            .build();
    ResourceRules rbacGlob = bare().addClusterAllow(rule("rbac.*", "Cluster*")).build();
    ResourceRules namedNamespaces =
        bare().addClusterAllow(rule("", "Namespace", "team-a-*")).build();
    return Stream.of(
        new Case(
            "no lists: namespaced allowed",
            noLists,
            "apps",
            "Deployment",
            "web",
            Scope.NAMESPACED,
            null),
        new Case(
            "no lists: cluster-scoped refused",
            noLists,
            "",
            "Namespace",
            "x",
            Scope.CLUSTER,
            "no clusterResourceWhitelist entries"),
        new Case(
            "blacklisted namespaced kind",
            denyDeployments,
            "apps",
            "Deployment",
            "web",
            Scope.NAMESPACED,
            "denied by namespaceResourceBlacklist entry {group: 'apps', kind: 'Deployment'}"),
        new Case(
            "blacklist is per group",
            denyDeployments,
            "extensions",
            "Deployment",
            "web",
            Scope.NAMESPACED,
            null),
        new Case(
            "empty namespace whitelist permits nothing namespaced",
            emptyNamespaceWhitelist,
            "",
            "ConfigMap",
            "c",
            Scope.NAMESPACED,
            "namespaceResourceWhitelist is empty"),
        new Case(
            "namespace whitelist lists core kinds with group ''",
            onlyConfig,
            "",
            "Secret",
            "s",
            Scope.NAMESPACED,
            null),
        new Case(
            "namespace whitelist refuses unlisted",
            onlyConfig,
            "apps",
            "Deployment",
            "web",
            Scope.NAMESPACED,
            "no namespaceResourceWhitelist entry matches"),
        new Case(
            "core group '' does not match a named group",
            namespacesOnly,
            "example.com",
            "Namespace",
            "x",
            Scope.CLUSTER,
            "no clusterResourceWhitelist entry matches"),
        new Case(
            "cluster whitelist permits listed",
            namespacesOnly,
            "",
            "Namespace",
            "x",
            Scope.CLUSTER,
            null),
        new Case(
            "cluster glob with blacklist: allowed",
            everythingButCrds,
            "rbac.authorization.k8s.io",
            "ClusterRole",
            "r",
            Scope.CLUSTER,
            null),
        new Case(
            "cluster glob with blacklist: denied",
            everythingButCrds,
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            "things.example.com",
            Scope.CLUSTER,
            "denied by clusterResourceBlacklist entry {group: 'apiextensions.k8s.io', kind: '*'}"),
        new Case(
            "prefix globs",
            rbacGlob,
            "rbac.authorization.k8s.io",
            "ClusterRoleBinding",
            "b",
            Scope.CLUSTER,
            null),
        new Case(
            "prefix globs refuse others",
            rbacGlob,
            "rbac.authorization.k8s.io",
            "Role",
            "b",
            Scope.CLUSTER,
            "no clusterResourceWhitelist entry matches"),
        new Case(
            "name glob permits",
            namedNamespaces,
            "",
            "Namespace",
            "team-a-dev",
            Scope.CLUSTER,
            null),
        new Case(
            "name glob refuses",
            namedNamespaces,
            "",
            "Namespace",
            "kube-system",
            Scope.CLUSTER,
            "no clusterResourceWhitelist entry matches"),
        new Case(
            "unknown scope needs both: cluster side refuses",
            noLists,
            "example.com",
            "Widget",
            "w",
            Scope.UNKNOWN,
            "scope unknown"),
        new Case(
            "unknown scope needs both: both permit",
            everythingButCrds,
            "example.com",
            "Widget",
            "w",
            Scope.UNKNOWN,
            null),
        new Case(
            "allowAll permits cluster-scoped",
            ResourceRules.allowAll("default"),
            "",
            "Namespace",
            "x",
            Scope.CLUSTER,
            null),
        new Case(
            "allowAll permits namespaced",
            ResourceRules.allowAll("default"),
            "apps",
            "Deployment",
            "x",
            Scope.NAMESPACED,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesAsArgoCd(Case c) {
    Optional<String> v =
        ResourcePermissions.violation(
            c.rules(),
            c.group(),
            c.kind(),
            c.scope() == Scope.CLUSTER ? "" : "shop",
            c.object(),
            c.scope());
    if (c.violationContains() == null) {
      assertThat(v).isEmpty();
    } else {
      assertThat(v)
          .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(c.violationContains())
          .contains("team-a")
          .contains(c.group() + ":" + c.kind())
          .contains(c.object());
    }
  }

  @Test
  void theMessageNamesObjectProjectAndRule() {
    assertThat(
            ResourcePermissions.violation(
                bare().addNamespaceDeny(rule("apps", "*")).build(),
                "apps",
                "Deployment",
                "shop",
                "web",
                Scope.NAMESPACED))
        .contains(
            "resource apps:Deployment shop/web is not permitted in project 'team-a' (namespaced;"
                + " denied by namespaceResourceBlacklist entry {group: 'apps', kind: '*'})");
    assertThat(
            ResourcePermissions.violation(
                bare().build(), "", "Namespace", "", "team-b", Scope.CLUSTER))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("resource :Namespace team-b is not permitted in project 'team-a'");
  }

  record NamespaceCase(String name, Scope scope, String namespace, String violationContains) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<NamespaceCase> namespaceCases() {
    return Stream.of(
        new NamespaceCase("permitted namespace", Scope.NAMESPACED, "team-a-web", null),
        new NamespaceCase(
            "other namespace",
            Scope.NAMESPACED,
            "kube-system",
            "resource apps:Deployment kube-system/web: namespace kube-system is not permitted in"
                + " project 'team-a' (destinations on this cluster permit 'team-a-*')"),
        new NamespaceCase(
            "unknown scope is checked as namespaced too",
            Scope.UNKNOWN,
            "kube-system",
            "namespace kube-system is not permitted"),
        new NamespaceCase("cluster-scoped: kinds only", Scope.CLUSTER, "kube-system", null),
        new NamespaceCase("no namespace: kinds only", Scope.NAMESPACED, "", null));
  }

  /** The destinations on the cluster bound namespaced objects once their kind is permitted. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("namespaceCases")
  void destinationsBoundTheObjectsNamespace(NamespaceCase c) {
    ResourceRules rules =
        bare()
            .addClusterAllow(rule("*", "*"))
            .build()
            .withDestinations(
                new ClusterNamespaces(
                    List.of(new ClusterNamespaces.Entry("team-a-*", true, false))));
    Optional<String> v =
        ResourcePermissions.violation(rules, "apps", "Deployment", c.namespace(), "web", c.scope());
    if (c.violationContains() == null) {
      assertThat(v).isEmpty();
    } else {
      assertThat(v)
          .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(c.violationContains());
    }
  }

  @Test
  void aForbiddenKindIsReportedBeforeItsNamespace() {
    ResourceRules rules =
        bare()
            .addNamespaceDeny(rule("apps", "*"))
            .build()
            .withDestinations(new ClusterNamespaces(List.of()));
    assertThat(
            ResourcePermissions.violation(
                rules, "apps", "Deployment", "shop", "web", Scope.NAMESPACED))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("denied by namespaceResourceBlacklist");
  }

  // The filepath.Match table these entries are matched with is GlobTest.resource().

  @Test
  void malformedPatternsAreNamedAndNeverWidenAccess() {
    assertThat(Glob.error("[abc", Mode.RESOURCE)).contains("unclosed '[' at position 0");
    assertThat(Glob.error("a\\", Mode.RESOURCE)).isPresent();
    assertThat(Glob.error("[]", Mode.RESOURCE)).isPresent();
    assertThat(Glob.error("apps", Mode.RESOURCE)).isEmpty();
    assertThat(Glob.error("[^a-z]*", Mode.RESOURCE)).isEmpty();

    ResourceRules badDeny =
        bare().addClusterAllow(rule("*", "*")).addClusterDeny(rule("[", "*")).build();
    assertThat(ResourcePermissions.violation(badDeny, "", "Namespace", "", "x", Scope.CLUSTER))
        .as("a malformed deny entry denies")
        .isPresent();
    ResourceRules badAllow = bare().addClusterAllow(rule("[", "*")).build();
    assertThat(ResourcePermissions.violation(badAllow, "[", "Namespace", "", "x", Scope.CLUSTER))
        .as("a malformed allow entry allows nothing")
        .isPresent();
  }
}
