package dev.flotilla.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Assignments in a ConfigMap of the agent's own cluster, so that an agent without a persistent
 * volume still keeps what it was assigned across pod restarts.
 */
public final class ConfigMapAssignmentBackend implements AssignmentBackend {

  /** Kubernetes refuses ConfigMaps whose data exceeds 1 MiB. */
  public static final int MAX_BYTES = 1024 * 1024;

  static final String KEY = "assignments.json";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String key;

  public ConfigMapAssignmentBackend(KubernetesClient client, String namespace, String name) {
    this(client, namespace, name, KEY);
  }

  /** A document under {@code key} of ConfigMap {@code name} (e.g. the agent's drift journal). */
  public ConfigMapAssignmentBackend(
      KubernetesClient client, String namespace, String name, String key) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.key = key;
  }

  /** The ConfigMap name used for {@code cluster}: {@code flotilla-agent-state-<cluster>}. */
  public static String nameFor(String cluster) {
    return "flotilla-agent-state-" + cluster;
  }

  @Override
  public Optional<String> load() {
    try {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm == null || cm.getData() == null || !cm.getData().containsKey(key)) {
        return Optional.empty();
      }
      return Optional.of(cm.getData().get(key));
    } catch (KubernetesClientException e) {
      throw new StatePersistenceException(
          "cannot read agent state " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(String document) {
    int size = document.getBytes(StandardCharsets.UTF_8).length + key.length();
    if (size > MAX_BYTES) {
      throw new StatePersistenceException(
          "agent state is "
              + size
              + " bytes, more than a ConfigMap can hold ("
              + MAX_BYTES
              + " bytes); "
              + describe()
              + " was left as it was. Run the agent with --state-store file (and a persistent"
              + " --state-dir) for this many or this large Applications");
    }
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app.kubernetes.io/managed-by", "flotilla-agent")
            .endMetadata()
            .withData(Map.of(key, document))
            .build();
    try {
      var resource = client.configMaps().inNamespace(namespace).withName(name);
      ConfigMap live = resource.get();
      if (live == null) {
        client.configMaps().inNamespace(namespace).resource(desired).create();
      } else {
        resource.edit(cm -> new ConfigMapBuilder(cm).withData(Map.of(key, document)).build());
      }
    } catch (KubernetesClientException e) {
      String hint =
          e.getCode() == 404
              ? " (does namespace '" + namespace + "' exist? see --state-namespace)"
              : e.getCode() == 403
                  ? " (the agent's service account needs get, create and patch on ConfigMaps"
                      + " there)"
                  : "";
      throw new StatePersistenceException(
          "cannot write agent state " + describe() + ": " + e.getMessage() + hint, e);
    }
  }

  @Override
  public String describe() {
    return "ConfigMap " + namespace + "/" + name;
  }
}
