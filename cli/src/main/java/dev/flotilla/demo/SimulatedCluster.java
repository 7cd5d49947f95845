package dev.flotilla.demo;

import dev.flotilla.simulator.SimulatedClusterOptions;
import dev.flotilla.simulator.controller.ControllerOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A SIMULATED Kubernetes cluster for the demo and the end-to-end tests: the {@code simulator}
 * module's API server (kubectl can drive it: discovery, patches, server-side apply) with its
 * controller manager (Deployments get ReplicaSets and Pods that turn Ready, Services get
 * EndpointSlices, deletes cascade), plus a fabric8 client of it for the demo's own checks.
 */
public final class SimulatedCluster implements AutoCloseable {

  /** How long a simulated Pod takes to become Ready: quick, but visible in a rollout. */
  static final Duration POD_READY_DELAY = Duration.ofMillis(500);

  private final dev.flotilla.simulator.SimulatedCluster cluster;
  private final KubernetesClient client;

  private SimulatedCluster(dev.flotilla.simulator.SimulatedCluster cluster) {
    this.cluster = cluster;
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.url())
            .withNamespace("default")
            .withRequestTimeout(30_000)
            .withConnectionTimeout(10_000)
            .build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A cluster as strict as a real one: a namespace must exist before anything goes in it. */
  public static SimulatedCluster start(String name) {
    return start(name, false);
  }

  /**
   * @param forTests a test fleet's cluster: a write into a missing namespace creates it (its
   *     Applications do not all ask for {@code CreateNamespace=true}; a real API server answers
   *     404), and every request is kept for {@link #drainRequests}
   */
  public static SimulatedCluster start(String name, boolean forTests) {
    SimulatedClusterOptions options =
        SimulatedClusterOptions.defaults()
            .withControllers(ControllerOptions.defaults().withPodReadyDelay(POD_READY_DELAY));
    return new SimulatedCluster(
        dev.flotilla.simulator.SimulatedCluster.start(
            name,
            forTests
                ? options
                    .withMissingNamespacesCreated()
                    .withApi(options.api().withRequestsRecorded())
                : options));
  }

  public String name() {
    return cluster.name();
  }

  /** The API server URL, e.g. http://127.0.0.1:40123. */
  public String url() {
    return cluster.url();
  }

  /** A client of this cluster (for tests and the demo's own checks). */
  public KubernetesClient client() {
    return client;
  }

  /** The simulated cluster itself (its store, its controllers). */
  public dev.flotilla.simulator.SimulatedCluster simulator() {
    return cluster;
  }

  /**
   * Every request the API server received since the last call, oldest first, as "METHOD uri"
   * (clusters started for tests only). Lets tests prove what an agent did (or did not) write.
   */
  public List<String> drainRequests() {
    return cluster.drainRequests();
  }

  /** Writes a kubeconfig for this cluster; kubectl, fabric8 and curl users can use it. */
  public Path writeKubeconfig(Path file) throws IOException {
    return cluster.writeKubeconfig(file);
  }

  @Override
  public void close() {
    client.close();
    cluster.close();
  }
}
