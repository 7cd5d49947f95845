package dev.flotilla.agent.reconcile.drift;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the Deployment controller: right after every spec change of a Deployment in {@code
 * namespace} it writes the status (observedGeneration and ready replicas), bumping the
 * resourceVersion just as a real controller does between an edit and our heal.
 */
final class StatusWriter implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final Watch watch;
  final AtomicInteger writes = new AtomicInteger();

  StatusWriter(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.watch =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment d) {
                    if (action != Action.DELETED && !observed(d)) {
                      thread.execute(() -> writeStatus(d.getMetadata().getName()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private static boolean observed(Deployment d) {
    return d.getStatus() != null
        && Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration());
  }

  private void writeStatus(String name) {
    try {
      var resource = client.apps().deployments().inNamespace(namespace).withName(name);
      Deployment live = resource.get();
      if (live == null || observed(live)) {
        return;
      }
      live.setStatus(
          new DeploymentStatusBuilder()
              .withObservedGeneration(live.getMetadata().getGeneration())
              .withReplicas(1)
              .withReadyReplicas(1)
              .withUpdatedReplicas(1)
              .withAvailableReplicas(1)
              .build());
      resource.updateStatus(live);
      writes.incrementAndGet();
    } catch (KubernetesClientException e) {
      // a racing write won; the watch brings the Deployment back here
    }
  }

  @Override
  public void close() {
    watch.close();
    thread.shutdownNow();
  }
}
