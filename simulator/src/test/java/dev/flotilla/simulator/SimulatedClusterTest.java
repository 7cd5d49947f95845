package dev.flotilla.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedClusterTest {

  @Test
  void theKubeconfigNamesTheClusterSimulatedAndTheServerIsOnLoopback(@TempDir Path dir)
      throws Exception {
    int port;
    try (SimulatedCluster cluster =
        SimulatedCluster.start("east", SimulatedClusterOptions.defaults())) {
      assertThat(cluster.url()).startsWith("http://127.0.0.1:");
      port = URI.create(cluster.url()).getPort();
      String kubeconfig = Files.readString(cluster.writeKubeconfig(dir.resolve("sub/kubeconfig")));
      assertThat(kubeconfig)
          .contains(
              "- name: simulated-east",
              "cluster: simulated-east",
              "user: simulated-east",
              "current-context: simulated-east")
          .contains("server: " + cluster.url());
      assertThat(cluster.store().types()).isNotEmpty();
    }
    try (ServerSocket again = new ServerSocket(port)) {
      assertThat(again.getLocalPort()).as("close releases the port").isEqualTo(port);
    }
  }

  @Test
  void aNameThatCannotNameAKubeconfigEntryIsRefused() {
    assertThatThrownBy(
            () -> SimulatedCluster.start("East Coast", SimulatedClusterOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("East Coast");
  }
}
