package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent is built without the control plane or the CLI: neither is on its classpath, not even
 * for tests (the module graph in the README says why).
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.flotilla.controlplane.ControlPlane",
        "dev.flotilla.cli.FlotillaCli",
        "dev.flotilla.demo.Demo"
      })
  void isNotOnTheAgentsClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
