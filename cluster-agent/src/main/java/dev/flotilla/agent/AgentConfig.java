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
 * @param kubeApiTimeouts deadlines of calls to the cluster's API server; null for the defaults
 * @param helmCredentialsFile per-URL credentials of Helm repositories and OCI registries (see
 *     {@code ChartCredentials}); null for none
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
    GitLimits gitLimits,
    KubeApiTimeouts kubeApiTimeouts,
    Path helmCredentialsFile) {

  public static final String VERSION = "0.1.0";
  public static final String DEFAULT_STATE_NAMESPACE = "flotilla-agent";

  /** What {@code --resync-interval} defaults to. */
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(60);

  /** What {@code --workers} defaults to. */
  public static final int DEFAULT_WORKERS = 4;

  /** The first reconnect delay of the agent command (doubling, with jitter, up to the maximum). */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  /** The longest reconnect delay of the agent command. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

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
    if (kubeApiTimeouts == null) {
      kubeApiTimeouts = KubeApiTimeouts.DEFAULTS;
    }
    if (stateNamespace == null || stateNamespace.isBlank()) {
      stateNamespace = DEFAULT_STATE_NAMESPACE;
    }
    // A CA to trust only makes sense with TLS, and https:// says so too.
    tls = tls || caFile != null || (controlPlane != null && controlPlane.startsWith(HTTPS));
  }

  static final String HTTPS = "https://";

  /** The same, dialling over TLS and trusting {@code ca} (null: the JDK's trusted CAs). */
  public AgentConfig withTls(Path ca) {
    return toBuilder().caFile(ca).tls(true).build();
  }

  /** The same with other Git timeout and checkout limits. */
  public AgentConfig withGitLimits(GitLimits limits) {
    return toBuilder().gitLimits(limits).build();
  }

  /**
   * A configuration for the agent of {@code cluster} dialling {@code controlPlane} with {@code
   * token}; everything else starts at the defaults of the {@code agent} command's flags.
   */
  public static Builder builder(String controlPlane, String cluster, String token) {
    return new Builder(controlPlane, cluster, token);
  }

  /** A builder holding every value of this configuration, to change a few. */
  public Builder toBuilder() {
    return new Builder(controlPlane, cluster, token)
        .caFile(caFile)
        .stateDir(stateDir)
        .resyncInterval(resyncInterval)
        .workers(workers)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .gitUsername(gitUsername)
        .gitPassword(gitPassword)
        .stateStore(stateStore)
        .stateNamespace(stateNamespace)
        .gitCredentialsFile(gitCredentialsFile)
        .tls(tls)
        .gitLimits(gitLimits)
        .kubeApiTimeouts(kubeApiTimeouts)
        .helmCredentialsFile(helmCredentialsFile);
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

  /** Where charts fetched from Helm repositories and OCI registries are kept, unpacked. */
  public Path chartCacheDir() {
    return stateDir.resolve("charts");
  }

  /** The name of the ConfigMap holding this agent's assignments with the ConfigMap store. */
  public String stateConfigMap() {
    return ConfigMapAssignmentBackend.nameFor(cluster);
  }

  /**
   * Builds an {@link AgentConfig} by name rather than by position: seventeen positional values of
   * which several share a type were easy to get wrong. Unset values take the defaults of the {@code
   * agent} command (and of the record: file store, default namespace, default Git limits).
   */
  public static final class Builder {
    private final String controlPlane;
    private final String cluster;
    private final String token;
    private Path caFile;
    private Path stateDir;
    private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
    private int workers = DEFAULT_WORKERS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private String gitUsername;
    private String gitPassword;
    private StateStore stateStore = StateStore.FILE;
    private String stateNamespace = DEFAULT_STATE_NAMESPACE;
    private Path gitCredentialsFile;
    private boolean tls;
    private GitLimits gitLimits = GitLimits.DEFAULTS;
    private KubeApiTimeouts kubeApiTimeouts = KubeApiTimeouts.DEFAULTS;
    private Path helmCredentialsFile;

    private Builder(String controlPlane, String cluster, String token) {
      this.controlPlane = controlPlane;
      this.cluster = cluster;
      this.token = token;
    }

    /** PEM file of the CA to trust (implies TLS); null for the JDK's trusted CAs. */
    public Builder caFile(Path caFile) {
      this.caFile = caFile;
      return this;
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder resyncInterval(Duration resyncInterval) {
      this.resyncInterval = resyncInterval;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** The first and the longest delay between reconnect attempts. */
    public Builder backoff(Duration initial, Duration max) {
      return initialBackoff(initial).maxBackoff(max);
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** HTTPS user and password (or token) for repositories without a per-URL entry. */
    public Builder gitUser(String username, String password) {
      return gitUsername(username).gitPassword(password);
    }

    public Builder gitUsername(String gitUsername) {
      this.gitUsername = gitUsername;
      return this;
    }

    public Builder gitPassword(String gitPassword) {
      this.gitPassword = gitPassword;
      return this;
    }

    public Builder stateStore(StateStore stateStore) {
      this.stateStore = stateStore;
      return this;
    }

    public Builder stateNamespace(String stateNamespace) {
      this.stateNamespace = stateNamespace;
      return this;
    }

    public Builder gitCredentialsFile(Path gitCredentialsFile) {
      this.gitCredentialsFile = gitCredentialsFile;
      return this;
    }

    /** Dial over TLS; a CA file or an {@code https://} address turns it on regardless. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public Builder gitLimits(GitLimits gitLimits) {
      this.gitLimits = gitLimits;
      return this;
    }

    public Builder kubeApiTimeouts(KubeApiTimeouts kubeApiTimeouts) {
      this.kubeApiTimeouts = kubeApiTimeouts;
      return this;
    }

    public Builder helmCredentialsFile(Path helmCredentialsFile) {
      this.helmCredentialsFile = helmCredentialsFile;
      return this;
    }

    public AgentConfig build() {
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
          gitLimits,
          kubeApiTimeouts,
          helmCredentialsFile);
    }
  }
}
