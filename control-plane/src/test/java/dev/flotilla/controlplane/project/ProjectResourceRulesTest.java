package dev.flotilla.controlplane.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.agent.v1.ResourceRule;
import dev.flotilla.proto.agent.v1.ResourceRules;
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
    assertThat(rules("").hasNamespaceAllow()).isFalse();
    assertThat(rules("namespaceResourceWhitelist:").hasNamespaceAllow())
        .as("null is absent, as in Go")
        .isFalse();
    ResourceRules empty = rules("namespaceResourceWhitelist: []");
    assertThat(empty.hasNamespaceAllow()).isTrue();
    assertThat(empty.getNamespaceAllow().getRulesList()).isEmpty();
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
    assertThat(r.getProject()).isEqualTo("team-a");
    assertThat(r.getClusterAllowList())
        .containsExactly(
            ResourceRule.newBuilder().setKind("Namespace").setName("team-a-*").build());
    assertThat(r.getClusterDenyList())
        .containsExactly(
            ResourceRule.newBuilder().setGroup("apiextensions.k8s.io").setKind("*").build());
    assertThat(r.getNamespaceDenyList())
        .containsExactly(ResourceRule.newBuilder().setGroup("apps").setKind("Deployment").build());
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
}
