package dev.flotilla.agent;

import static dev.flotilla.agent.AgentCommandRenderTimeoutTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Kubernetes API call of the agent has a deadline, set by flags with sane defaults. */
class AgentCommandKubeTimeoutsTest {

  @Test
  void defaultsAreConnectTenSecondsRequestThirtySecondsWatchResyncTenMinutes() {
    assertThat(parse().kubeApiTimeouts())
        .isEqualTo(KubeApiTimeouts.DEFAULTS)
        .isEqualTo(
            new KubeApiTimeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(10)));
  }

  @Test
  void theFlagsTakeTheSharedDurationSyntax() {
    assertThat(
            parse(
                    "--kube-connect-timeout",
                    "5s",
                    "--kube-request-timeout",
                    "1m",
                    "--kube-watch-resync",
                    "PT2M")
                .kubeApiTimeouts())
        .isEqualTo(
            new KubeApiTimeouts(
                Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(2)));
  }

  @Test
  void theClientGetsTheDeadlinesAndDoesNotMultiplyThemByRetrying() {
    Config config =
        new KubeApiTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(7), Duration.ofMinutes(1))
            .applyTo(new ConfigBuilder().withMasterUrl("https://127.0.0.1:6443").build());
    assertThat(config.getConnectionTimeout()).isEqualTo(3_000);
    assertThat(config.getRequestTimeout()).isEqualTo(7_000);
    assertThat(config.getRequestRetryBackoffLimit()).isZero();
    assertThat(config.getMasterUrl()).startsWith("https://127.0.0.1:6443");
  }

  @Test
  void aClientFromAKubeconfigHasTheDeadlines(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: c",
            "  cluster:",
            "    server: http://127.0.0.1:1",
            "contexts:",
            "- name: c",
            "  context:",
            "    cluster: c",
            "    user: u",
            "current-context: c",
            "users:",
            "- name: u",
            "  user:",
            "    token: t",
            ""));
    KubeApiTimeouts timeouts =
        new KubeApiTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(9), Duration.ofMinutes(1));
    try (KubernetesClient client = AgentCommand.kubernetesClient(kubeconfig, timeouts)) {
      assertThat(client.getConfiguration().getConnectionTimeout()).isEqualTo(4_000);
      assertThat(client.getConfiguration().getRequestTimeout()).isEqualTo(9_000);
    }
    try (KubernetesClient client = AgentCommand.kubernetesClient(kubeconfig)) {
      assertThat(client.getConfiguration().getRequestTimeout()).isEqualTo(30_000);
    }
  }

  @Test
  void aZeroOrMissingValueNamesTheFlag() {
    assertThatThrownBy(
            () -> new KubeApiTimeouts(Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--kube-request-timeout must be a positive duration (e.g. 30s), not 0s");
    assertThatThrownBy(
            () -> new KubeApiTimeouts(null, Duration.ofSeconds(1), Duration.ofMinutes(1)))
        .hasMessageContaining("--kube-connect-timeout");
  }

  @Test
  void aNonPositiveTimeoutStopsTheAgentAtStart() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          AgentCommand.commandLine(new AgentCommand())
              .execute(
                  "--control-plane",
                  "127.0.0.1:1",
                  "--cluster",
                  "c",
                  "--token",
                  "t",
                  "--kube-watch-resync",
                  "PT0S");
    } finally {
      System.setErr(stderr);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("--kube-watch-resync must be a positive duration (e.g. 30s), not 0s");
  }
}
