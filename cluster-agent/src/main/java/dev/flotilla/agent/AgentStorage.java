package dev.flotilla.agent;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where the agent keeps what must survive a restart: its assignments and its unacknowledged drift
 * events, in files under the state directory or in ConfigMaps of the state namespace.
 */
final class AgentStorage {

  private AgentStorage() {}

  static AssignmentBackend stateBackend(AgentConfig config, KubernetesClient kubernetes) {
    return switch (config.stateStore()) {
      case FILE -> new FileAssignmentBackend(config.assignmentsFile());
      case CONFIGMAP ->
          new ConfigMapAssignmentBackend(
              kubernetes, config.stateNamespace(), config.stateConfigMap());
    };
  }

  /** The drift journal beside the assignments: its own file, or its own ConfigMap. */
  static AssignmentBackend driftBackend(AgentConfig config, KubernetesClient kubernetes) {
    return switch (config.stateStore()) {
      case FILE -> new FileAssignmentBackend(config.stateDir().resolve(DRIFT_JOURNAL_FILE));
      case CONFIGMAP ->
          new ConfigMapAssignmentBackend(
              kubernetes,
              config.stateNamespace(),
              driftConfigMap(config.cluster()),
              DRIFT_JOURNAL_FILE);
    };
  }

  static final String DRIFT_JOURNAL_FILE = "drift-journal.json";

  /** The ConfigMap holding the drift journal with the ConfigMap store. */
  static String driftConfigMap(String cluster) {
    return "flotilla-agent-drift-" + cluster;
  }
}
