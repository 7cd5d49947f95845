package dev.flotilla.agent.reconcile;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link RealApiServerContract} against a real API server (k3s). Skipped where no container engine
 * runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ApplicationReconcilerK3sIT extends RealApiServerContract {

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  @Override
  String namespacePrefix() {
    return "k-";
  }
}
