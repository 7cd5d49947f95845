package dev.flotilla.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flotilla.simulator.controller.ControllerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Kubernetes user does with kubectl on a simulated cluster whose controllers run: a
 * Deployment rolls out to ReplicaSets and Pods, scales, restarts, logs, cascades on delete, and a
 * broken image shows as a user would see it. Skipped, saying so, where no kubectl is on PATH.
 */
class KubectlControllersTest {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir static Path dir;
  static SimulatedCluster cluster;
  static KubectlRunner k;

  @BeforeAll
  static void start() throws Exception {
    String binary = KubectlRunner.onPath();
    assumeTrue(binary != null, "no kubectl on PATH: the kubectl tests are skipped");
    cluster =
        SimulatedCluster.start(
            "kubectl-controllers",
            SimulatedClusterOptions.defaults()
                .withControllers(
                    ControllerOptions.defaults().withPodReadyDelay(Duration.ofMillis(100))));
    k = new KubectlRunner(binary, cluster.writeKubeconfig(dir.resolve("kubeconfig")), dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String namespace() throws Exception {
    String ns = "c" + NAMESPACES.incrementAndGet();
    k.ok("create", "namespace", ns);
    return ns;
  }

  static String deployment(String ns, String image, int replicas) {
    return KubectlTest.deployment(ns, "web", "web", replicas).replace("nginx:1.27", image);
  }

  @Test
  void aDeploymentRollsOutToReadyPodsThatKubectlShows() throws Exception {
    String ns = namespace();
    k.apply(deployment(ns, "nginx:1.27", 2));
    assertThat(k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s").out())
        .contains("successfully rolled out");
    assertThat(k.ok("get", "deploy", "web", "-n", ns).out())
        .containsPattern("web\\s+2/2\\s+2\\s+2");
    assertThat(k.ok("get", "rs", "-n", ns).out()).containsPattern("web-[a-z0-9]+\\s+2\\s+2\\s+2");
    assertThat(k.ok("get", "po", "-n", ns, "-l", "app=web", "-o", "wide").out())
        .containsPattern("web-[a-z0-9]+-[a-z0-9]{5}\\s+1/1\\s+Running")
        .contains("sim-node-");
    assertThat(k.ok("get", "events", "-n", ns).out()).contains("ScalingReplicaSet");
    assertThat(k.ok("logs", "-n", ns, "-l", "app=web", "--tail=5").out()).isNotBlank();
  }

  @Test
  void scaleEditAndRestartRollTheDeployment() throws Exception {
    String ns = namespace();
    k.apply(deployment(ns, "nginx:1.27", 1));
    k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    k.ok("scale", "deployment", "web", "-n", ns, "--replicas=3");
    k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    assertThat(k.ok("get", "deploy", "web", "-n", ns).out()).containsPattern("web\\s+3/3");

    KubectlRunner.Result edit =
        k.run(
            null,
            Map.of("KUBE_EDITOR", "sed -i s/nginx:1.27/nginx:1.28/"),
            "edit",
            "deployment",
            "web",
            "-n",
            ns);
    assertThat(edit.exit()).as(edit.all()).isZero();
    k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    assertThat(
            k.ok(
                    "get",
                    "po",
                    "-n",
                    ns,
                    "-l",
                    "app=web",
                    "-o",
                    "jsonpath={.items[*].spec.containers[0].image}")
                .out())
        .isEqualTo("nginx:1.28 nginx:1.28 nginx:1.28");

    k.ok("rollout", "restart", "deployment/web", "-n", ns);
    k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    assertThat(k.ok("get", "rs", "-n", ns, "-o", "name").out().lines().count()).isEqualTo(3);
  }

  @Test
  void deletingADeploymentCascadesToItsReplicaSetsAndPods() throws Exception {
    String ns = namespace();
    k.apply(deployment(ns, "nginx:1.27", 2));
    k.ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    k.ok("delete", "deployment", "-n", ns, "-l", "app=web");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(k.ok("get", "rs,po", "-n", ns, "-o", "name").out()).isBlank();
            });
  }

  @Test
  void aBrokenImageShowsAsCrashLoopBackOffOrImagePullBackOff() throws Exception {
    String ns = namespace();
    k.apply(deployment(ns, "example/crashloop:1", 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(k.ok("get", "po", "-n", ns).out()).contains("CrashLoopBackOff"));
    String other = namespace();
    k.apply(deployment(other, "example/does-not-exist:1", 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(k.ok("get", "po", "-n", other).out())
                    .containsPattern("ImagePullBackOff|ErrImagePull"));
    assertThat(k.ok("describe", "deploy", "web", "-n", other).out()).contains("Available");
  }
}
