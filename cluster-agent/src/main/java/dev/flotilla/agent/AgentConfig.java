package dev.flotilla.agent;

import dev.flotilla.git.GitLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an agent needs, built once from flags and environment.
 *
 * @param controlPlane host:port of the control plane's agent gRPC endpoint; {@code
 *     https://host:port} means TLS too (see {@link #target()})
 * @param caFile PEM file of the CA that signed the control plane's certificate (implies TLS); null
 *     for the JDK's trusted CAs with TLS, or plaintext without
 * @param stateDir where assignments (with the file store) and the Git cache live
 * @param resyncInterval how often every Application is reconciled even if nothing was announced
 * @param workers reconciles running in parallel
 * @param gitUsername HTTPS user name for every repository without a matching entry in {@code
 *     gitCredentialsFile}; null for none
 * @param gitPassword HTTPS password or token going with {@code gitUsername}
 * @param stateStore where assignments are persisted
 * @param stateNamespace namespace of the state ConfigMap (with {@link StateStore#CONFIGMAP})
 * @param gitCredentialsFile per-URL Git credentials (see {@code GitCredentials}); null for none
 * @param tls dial the control plane over TLS; always true with a {@code caFile} or an {@code
 *     https://} address
 * @param gitLimits timeout of Git operations and size limits of checkouts; null for the defaults
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
    Path gitCredentialsFile,
    boolean tls,
    GitLimits gitLimits) {

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
    if (gitLimits == null) {
      gitLimits = GitLimits.DEFAULTS;
    }
    if (stateNamespace == null || stateNamespace.isBlank()) {
      stateNamespace = DEFAULT_STATE_NAMESPACE;
    }
    // A CA to trust only makes sense with TLS, and https:// says so too.
    tls = tls || caFile != null || (controlPlane != null && controlPlane.startsWith(HTTPS));
  }

  /** The default Git limits. */
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
      String gitPassword,
      StateStore stateStore,
      String stateNamespace,
      Path gitCredentialsFile,
      boolean tls) {
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
        stateStore,
        stateNamespace,
        gitCredentialsFile,
        tls,
        null);
  }

  /** TLS when a CA file or an https:// address says so, plaintext otherwise. */
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
      String gitPassword,
      StateStore stateStore,
      String stateNamespace,
      Path gitCredentialsFile) {
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
        stateStore,
        stateNamespace,
        gitCredentialsFile,
        false);
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
        null,
        false);
  }

  private static final String HTTPS = "https://";

  /** The same, dialling over TLS and trusting {@code ca} (null: the JDK's trusted CAs). */
  public AgentConfig withTls(Path ca) {
    return new AgentConfig(
        controlPlane,
        cluster,
        token,
        ca,
        stateDir,
        resyncInterval,
        workers,
        initialBackoff,
        maxBackoff,
        gitUsername,
        gitPassword,
        stateStore,
        stateNamespace,
        gitCredentialsFile,
        true,
        gitLimits);
  }

  /** The same with other Git timeout and checkout limits. */
  public AgentConfig withGitLimits(GitLimits limits) {
    return new AgentConfig(
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
        stateStore,
        stateNamespace,
        gitCredentialsFile,
        tls,
        limits);
  }

  /** The gRPC target: the address without an {@code https://} prefix (or a trailing slash). */
  public String target() {
    String target =
        controlPlane.startsWith(HTTPS) ? controlPlane.substring(HTTPS.length()) : controlPlane;
    return target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
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
