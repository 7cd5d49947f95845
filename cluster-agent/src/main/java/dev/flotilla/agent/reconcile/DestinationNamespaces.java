package dev.flotilla.agent.reconcile;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** The destination namespace a sync creates with {@code CreateNamespace=true}. */
final class DestinationNamespaces {

  private final KubernetesClient client;

  DestinationNamespaces(KubernetesClient client) {
    this.client = client;
  }

  /** The destination namespace when a sync would create it (CreateNamespace=true). */
  Optional<String> toCreate(AppSpec app) {
    String namespace = app.destination().namespace();
    if (!app.syncPolicy().syncOptions().createNamespace()
        || namespace.isEmpty()
        || client.namespaces().withName(namespace).get() != null) {
      return Optional.empty();
    }
    return Optional.of(namespace);
  }

  void ensure(String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      try {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }
}
