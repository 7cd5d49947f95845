package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.AgentCommand;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedClusterMockTest {

  @Test
  void deploymentsBecomeReadyLikeOnARealCluster() {
    try (SimulatedCluster cluster = SimulatedCluster.start("t1")) {
      KubernetesClient client = cluster.client();
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("shop")
                  .endMetadata()
                  .build())
          .create();
      client
          .apps()
          .deployments()
          .inNamespace("shop")
          .resource(
              new DeploymentBuilder()
                  .withNewMetadata()
                  .withName("web")
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(3)
                  .withNewSelector()
                  .addToMatchLabels("app", "web")
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .addToLabels("app", "web")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("web")
                  .withImage("nginx")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build())
          .create();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Deployment live =
                    client.apps().deployments().inNamespace("shop").withName("web").get();
                assertThat(live.getStatus()).isNotNull();
                assertThat(live.getStatus().getReadyReplicas()).isEqualTo(3);
                assertThat(live.getStatus().getObservedGeneration())
                    .isEqualTo(live.getMetadata().getGeneration());
              });
    }
  }

  @Test
  void kubeconfigReachesTheSimulatedCluster(@TempDir Path dir) throws Exception {
    try (SimulatedCluster cluster = SimulatedCluster.start("t2")) {
      Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kc.yaml"));
      try (KubernetesClient viaKubeconfig = AgentCommand.kubernetesClient(kubeconfig)) {
        viaKubeconfig
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("x")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();
      }
      assertThat(cluster.client().configMaps().inNamespace("default").withName("x").get().getData())
          .containsEntry("k", "v");
    }
  }
}
