package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.render.chart.ChartRepositoryServer;
import dev.flotilla.render.chart.TestCharts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent process that has rendered a Helm chart still stops at SIGTERM within 10 s. Helm (a
 * Go runtime in a native library) used to run inside the process and take over its signal handling,
 * so that only {@code kill -9} stopped it; it now runs in a child JVM per render.
 */
class AgentProcessShutdownIT {

  @TempDir Path tmp;
  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private ChartRepositoryServer charts;
  private Process agent;

  @BeforeEach
  void start() throws Exception {
    QuietMockServer.quiet();
    apiServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    apiServer.init(InetAddress.getLoopbackAddress(), 0);
    client = apiServer.createClient();
    charts = new ChartRepositoryServer();
    charts.publish("shop", "1.0.0", TestCharts.configMapChart("shop", "1.0.0"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    charts.close();
    client.close();
    apiServer.destroy();
  }

  @Test
  void sigtermAfterAHelmRenderStopsTheAgentWithin10Seconds() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("state"));
    // Persisted as if the control plane had assigned it: the agent reconciles it at start, alone.
    new AssignmentStore(state.resolve("assignments.json"))
        .upsert(
            Assignment.newBuilder()
                .setName("shop")
                .setProject("default")
                .setGeneration(1)
                .setSpecJson(
                    "{\"source\":{\"repoURL\":\""
                        + charts.url()
                        + "\",\"chart\":\"shop\",\"targetRevision\":\"1.0.0\"},"
                        + "\"destination\":{\"namespace\":\"demo\"},"
                        + "\"syncPolicy\":{\"automated\":{}}}")
                .build());
    Path kubeconfig = tmp.resolve("kubeconfig.yaml");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: "
            + client.getMasterUrl()
            + "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context:\n"
            + "    cluster: mock\n    user: u\ncurrent-context: c\n");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // no control plane: the agent works from its state alone
    }
    agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "--control-plane",
                "127.0.0.1:" + closedPort,
                "--cluster",
                "test",
                "--token",
                "t",
                "--state-dir",
                state.toString(),
                "--kubeconfig",
                kubeconfig.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent.log").toFile())
            .start();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(client.configMaps().inNamespace("demo").withName("shop-cm").get())
                    .as("rendered by Helm and applied; agent log:%n%s", log())
                    .isNotNull());

    agent.toHandle().destroy(); // SIGTERM

    assertThat(agent.waitFor(10, TimeUnit.SECONDS))
        .as("the agent exited within 10 s of SIGTERM; its log:%n%s", log())
        .isTrue();
    assertThat(agent.descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  private String log() throws Exception {
    return Files.readString(tmp.resolve("agent.log"));
  }
}
