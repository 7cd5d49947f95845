package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The renderer sits below both the agent and the control plane: neither side, nor their frameworks
 * (Vert.x, gRPC, fabric8), is on its classpath, not even for tests (the module graph in the README
 * says why).
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.flotilla.agent.ClusterAgent",
        "dev.flotilla.controlplane.ControlPlane",
        "dev.flotilla.cli.FlotillaCli",
        "io.vertx.core.Vertx",
        "io.grpc.Server",
        "io.fabric8.kubernetes.client.KubernetesClient"
      })
  void isNotOnTheRenderersClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
