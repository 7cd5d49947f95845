package dev.flotilla.controlplane.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.project.ProjectPolicy;
import dev.flotilla.core.project.ProjectResourceRules;
import dev.flotilla.core.project.ResourceRule;
import dev.flotilla.core.project.ResourceRules;
import dev.flotilla.proto.agent.v1.DestinationNamespace;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectResourceRulesTest {

  static String project(String lists) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: team-a
        spec:
          sourceRepos: ['*']
        %s"""
        .formatted(lists.indent(2));
  }

  static ResourceRules rules(String lists) {
    var doc = AppProjectParser.parse(project(lists));
    return ProjectResourceRules.of(
        "team-a", ProjectGate.toNode(doc.getJsonObject("spec").encode()));
  }

  @Test
  void anAbsentNamespaceWhitelistIsUnsetAndAnEmptyOneIsSet() {
    assertThat(rules("").namespaceAllow()).isEmpty();
    assertThat(rules("namespaceResourceWhitelist:").namespaceAllow())
        .as("null is absent, as in Go")
        .isEmpty();
    ResourceRules empty = rules("namespaceResourceWhitelist: []");
    assertThat(empty.namespaceAllow()).isPresent();
    assertThat(empty.namespaceAllow().get()).isEmpty();
  }

  @Test
  void entriesKeepGroupKindAndName() {
    ResourceRules r =
        rules(
            """
            clusterResourceWhitelist:
              - {group: '', kind: Namespace, name: 'team-a-*'}
            clusterResourceBlacklist:
              - {group: 'apiextensions.k8s.io', kind: '*'}
            namespaceResourceBlacklist:
              - {group: apps, kind: Deployment}
            """);
    assertThat(r.project()).isEqualTo("team-a");
    assertThat(r.clusterAllow()).containsExactly(new ResourceRule("", "Namespace", "team-a-*"));
    assertThat(r.clusterDeny()).containsExactly(new ResourceRule("apiextensions.k8s.io", "*", ""));
    assertThat(r.namespaceDeny()).containsExactly(new ResourceRule("apps", "Deployment", ""));
  }

  @Test
  void malformedEntriesNameTheField() {
    assertThatThrownBy(() -> rules("namespaceResourceWhitelist: [{group: apps, kind: ''}]"))
        .hasMessageStartingWith("spec.namespaceResourceWhitelist[0].kind: required");
    assertThatThrownBy(() -> rules("clusterResourceBlacklist: [{group: '[', kind: '*'}]"))
        .hasMessageStartingWith(
            "spec.clusterResourceBlacklist[0].group: '[' is not a valid pattern");
    assertThatThrownBy(() -> rules("clusterResourceWhitelist: 'Namespace'"))
        .hasMessageStartingWith("spec.clusterResourceWhitelist: must be a list");
  }

  @Test
  void dispatchedRulesCarryTheDestinationsOfTheReceivingClusterOnly() {
    var doc =
        AppProjectParser.parse(
            project(
                """
                destinations:
                  - {server: 'https://east:6443', namespace: 'team-a-*'}
                  - {name: west, namespace: '*'}
                  - {name: '*', namespace: '!kube-system'}
                """));
    var node = ProjectGate.toNode(doc.encode());
    ProjectGate.Policies policies =
        new ProjectGate.Policies(
            Map.of("team-a", ProjectPolicy.fromAppProject(node)),
            Map.of("team-a", ProjectResourceRules.of("team-a", node.path("spec"))),
            Map.of());

    dev.flotilla.proto.agent.v1.ResourceRules east =
        policies.resourceRules("team-a", "https://east:6443", "east");

    assertThat(east.getDestinations().getEntriesList())
        .extracting(
            DestinationNamespace::getNamespace,
            DestinationNamespace::getClusterMatched,
            DestinationNamespace::getExcludesCluster)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("team-a-*", true, false),
            org.assertj.core.groups.Tuple.tuple("!kube-system", true, false));
    assertThat(policies.resourceRules("team-a", "https://west:6443", "west").getDestinations())
        .isNotEqualTo(east.getDestinations());
    assertThat(policies.resourceRules("default", "https://east:6443", "east").hasDestinations())
        .as("the undefined default project checks no namespaces")
        .isFalse();
    dev.flotilla.proto.agent.v1.ResourceRules undefined =
        policies.resourceRules("team-b", "https://east:6443", "east");
    assertThat(undefined.hasDestinations()).isTrue();
    assertThat(undefined.getDestinations().getEntriesList()).isEmpty();
  }
}
