package dev.flotilla.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an agent needs, built once from flags and environment.
 *
 * @param controlPlane host:port of the control plane's agent gRPC endpoint
 * @param caFile PEM file of the CA that signed the control plane's certificate; null for plaintext
 * @param stateDir where assignments (with the file store) and the Git cache live
 * @param resyncInterval how often every Application is reconciled even if nothing was announced
 * @param workers reconciles running in parallel
 * @param gitUsername HTTPS user name for every repository without a matching entry in {@code
 *     gitCredentialsFile}; null for none
 * @param gitPassword HTTPS password or token going with {@code gitUsername}
 * @param stateStore where assignments are persisted
 * @param stateNamespace namespace of the state ConfigMap (with {@link StateStore#CONFIGMAP})
 * @param gitCredentialsFile per-URL Git credentials (see {@code GitCredentials}); null for none
 */
public record AgentConfig(
    String controlPlane,
    String cluster,
    String token,
    Path caFile,
    Path stateDir,
    Duration resyncInterval,
    int workers,
    Duration initialBackoff,
    Duration maxBackoff,
    String gitUsername,
    String gitPassword,
    StateStore stateStore,
    String stateNamespace,
    Path gitCredentialsFile) {

  public static final String VERSION = "0.1.0";
  public static final String DEFAULT_STATE_NAMESPACE = "flotilla-agent";

  /** Where the agent persists its assignments. */
  public enum StateStore {
    /** {@code assignments.json} in the state directory. */
    FILE,
    /** ConfigMap {@code flotilla-agent-state-<cluster>} in the state namespace. */
    CONFIGMAP
  }

  public AgentConfig {
    if (stateStore == null) {
      stateStore = StateStore.FILE;
    }
    if (stateNamespace == null || stateNamespace.isBlank()) {
      stateNamespace = DEFAULT_STATE_NAMESPACE;
    }
  }

  /** State in a file under {@code stateDir}, credentials from {@code gitUsername} only. */
  public AgentConfig(
      String controlPlane,
      String cluster,
      String token,
      Path caFile,
      Path stateDir,
      Duration resyncInterval,
      int workers,
      Duration initialBackoff,
      Duration maxBackoff,
      String gitUsername,
      String gitPassword) {
    this(
        controlPlane,
        cluster,
        token,
        caFile,
        stateDir,
        resyncInterval,
        workers,
        initialBackoff,
        maxBackoff,
        gitUsername,
        gitPassword,
        StateStore.FILE,
        DEFAULT_STATE_NAMESPACE,
        null);
  }

  public Path assignmentsFile() {
    return stateDir.resolve("assignments.json");
  }

  public Path gitCacheDir() {
    return stateDir.resolve("git");
  }

  /** The name of the ConfigMap holding this agent's assignments with the ConfigMap store. */
  public String stateConfigMap() {
    return ConfigMapAssignmentBackend.nameFor(cluster);
  }
}
