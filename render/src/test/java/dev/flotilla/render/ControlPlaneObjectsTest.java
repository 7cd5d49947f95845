package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ControlPlaneObjectsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String apiVersion, String kind, boolean controlPlane) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("an Application", "argoproj.io/v1alpha1", "Application", true),
        new Case("an ApplicationSet", "argoproj.io/v1alpha1", "ApplicationSet", true),
        new Case("an AppProject", "argoproj.io/v1alpha1", "AppProject", true),
        new Case("another version of the group", "argoproj.io/v1beta1", "Application", true),
        new Case(
            "Argo Rollouts' Rollout goes to the cluster", "argoproj.io/v1alpha1", "Rollout", false),
        new Case("a kind of another group", "example.com/v1", "Application", false),
        new Case("a ConfigMap", "v1", "ConfigMap", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesByGroupAndKind(Case c) {
    ObjectNode o = JSON.createObjectNode().put("apiVersion", c.apiVersion()).put("kind", c.kind());
    o.putObject("metadata").put("name", "x").put("namespace", "argocd");

    assertThat(ControlPlaneObjects.isControlPlaneObject(o)).isEqualTo(c.controlPlane());
    assertThat(ControlPlaneObjects.forCluster(List.of(o))).hasSize(c.controlPlane() ? 0 : 1);
  }
}
