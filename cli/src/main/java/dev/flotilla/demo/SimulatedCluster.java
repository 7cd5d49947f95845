package dev.flotilla.demo;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Kubernetes cluster: fabric8's mock API server in CRUD mode on loopback, plus a tiny
 * stand-in for the Deployment controller (the mock never sets status) so that Deployments become
 * ready as they would on a real cluster.
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedCluster.class);

  private final String name;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final ExecutorService statusWriter;
  private final Watch watch;

  private SimulatedCluster(String name) {
    this.name = name;
    this.server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    this.client = server.createClient();
    this.statusWriter =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-controller-" + name);
              t.setDaemon(true);
              return t;
            });
    this.watch = client.apps().deployments().inAnyNamespace().watch(new DeploymentReadiness());
  }

  public static SimulatedCluster start(String name) {
    return new SimulatedCluster(name);
  }

  public String name() {
    return name;
  }

  /** The API server URL, e.g. http://127.0.0.1:40123. */
  public String url() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
  }

  /** A client of this cluster (for tests and the demo's own checks). */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Every request the API server received since the last call, oldest first, as "METHOD path". Lets
   * tests prove what an agent did (or did not) write.
   */
  public List<String> drainRequests() {
    List<String> requests = new java.util.ArrayList<>();
    try {
      io.fabric8.mockwebserver.http.RecordedRequest r;
      while ((r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
        requests.add(r.getMethod() + " " + r.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }

  /** Writes a kubeconfig that points at this cluster; fabric8 (and curl users) can use it. */
  public Path writeKubeconfig(Path file) throws IOException {
    String yaml =
        String.join(
            "\n",
            List.of(
                "# Simulated cluster '"
                    + name
                    + "' (fabric8 mock API server, in-process, CRUD mode).",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: " + name,
                "  cluster:",
                "    server: " + url(),
                "contexts:",
                "- name: " + name,
                "  context:",
                "    cluster: " + name,
                "    user: " + name,
                "    namespace: default",
                "current-context: " + name,
                "users:",
                "- name: " + name,
                "  user:",
                "    token: simulated",
                ""));
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  @Override
  public void close() {
    watch.close();
    statusWriter.shutdownNow();
    client.close();
    try {
      server.destroy();
    } catch (RuntimeException e) {
      // The mock's own shutdown times out now and then on a loaded machine ("Unable to close
      // MockWebServer"); its port is released with the JVM either way, so a demo or test that has
      // finished its work must not fail here.
      LOG.warn("simulated cluster '{}' did not shut down cleanly: {}", name, e.getMessage());
    }
  }

  /** Marks every Deployment's replicas as ready, as the Deployment controller and kubelet would. */
  private final class DeploymentReadiness implements Watcher<Deployment> {
    @Override
    public void eventReceived(Action action, Deployment d) {
      if (action == Action.DELETED || action == Action.ERROR || isReady(d)) {
        return;
      }
      statusWriter.execute(
          () -> markReady(d.getMetadata().getNamespace(), d.getMetadata().getName()));
    }

    @Override
    public void onClose(WatcherException cause) {
      // The cluster is shutting down.
    }
  }

  private static boolean isReady(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int replicas =
        d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    return s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getReadyReplicas(), replicas)
        && Objects.equals(s.getUpdatedReplicas(), replicas)
        && Objects.equals(s.getAvailableReplicas(), replicas);
  }

  private void markReady(String namespace, String deployment) {
    try {
      var resource = client.apps().deployments().inNamespace(namespace).withName(deployment);
      Deployment live = resource.get();
      if (live == null || isReady(live)) {
        return;
      }
      int replicas =
          live.getSpec() == null || live.getSpec().getReplicas() == null
              ? 1
              : live.getSpec().getReplicas();
      DeploymentCondition available =
          new DeploymentConditionBuilder()
              .withType("Available")
              .withStatus("True")
              .withReason("MinimumReplicasAvailable")
              .build();
      DeploymentCondition progressing =
          new DeploymentConditionBuilder()
              .withType("Progressing")
              .withStatus("True")
              .withReason("NewReplicaSetAvailable")
              .build();
      live.setStatus(
          new DeploymentStatusBuilder()
              .withObservedGeneration(live.getMetadata().getGeneration())
              .withReplicas(replicas)
              .withUpdatedReplicas(replicas)
              .withReadyReplicas(replicas)
              .withAvailableReplicas(replicas)
              .withConditions(available, progressing)
              .build());
      resource.updateStatus(live);
    } catch (RuntimeException e) {
      // A racing update wins; the watch brings the Deployment back here.
    }
  }
}
