package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import dev.flotilla.simulator.controller.ControllerOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RealApiServerContract} against the SIMULATED API server, which does what fabric8's mock
 * cannot (server-side apply, strategic merge patches, controllers writing status), plus the edits a
 * human makes with kubectl — strategic merge patches keyed by container name — put back by
 * self-heal.
 */
class ApplicationReconcilerSimulatedTest extends RealApiServerContract {

  static SimulatedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    cluster =
        SimulatedCluster.start(
            "reconcile-test",
            SimulatedClusterOptions.defaults()
                .withControllers(
                    ControllerOptions.defaults().withPodReadyDelay(Duration.ofMillis(50))));
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.url())
            .withRequestTimeout(30_000)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  @Override
  String namespacePrefix() {
    return "s-";
  }

  @Test
  void kubectlStyleStrategicMergeEditsArePutBackBySelfHeal() {
    repo.write("app/d.yaml", ReconcileBenchmark.deployment("web", 1));
    List<Drift> drifts = new CopyOnWriteArrayList<>();
    AppSpec app = app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}");
    ExecutorService queue = Executors.newSingleThreadExecutor();
    try (DriftWatcher watcher =
        new DriftWatcher(
                reconciler,
                drifts::add,
                a -> queue.execute(() -> reconciler.reconcile(app, repo.root, "r1", true)))
            .start()) {
      reconciler.reconcile(app, repo.root, "r1", true);
      String image = container().getImage();
      String container = container().getName();

      // What kubectl edit sends for an image change: a strategic merge patch, containers by name.
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.STRATEGIC_MERGE),
              "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\""
                  + container
                  + "\",\"image\":\"evil:1\"}]}}}}");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(container().getImage()).isEqualTo(image));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(drifts).anySatisfy(d -> assertThat(d.healed()).isTrue()));
    } finally {
      queue.shutdownNow();
    }
  }

  private io.fabric8.kubernetes.api.model.Container container() {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }
}
