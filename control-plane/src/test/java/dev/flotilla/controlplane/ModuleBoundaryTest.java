package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server is built without the agent, the CLI or the demo's mock API server: none of them is on
 * its classpath, not even for tests (the module graph in the README says why).
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.flotilla.agent.ClusterAgent",
        "dev.flotilla.agent.AgentMain",
        "dev.flotilla.cli.FlotillaCli",
        "dev.flotilla.demo.Demo",
        "io.fabric8.kubernetes.client.server.mock.KubernetesMockServer"
      })
  void isNotOnTheControlPlanesClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
