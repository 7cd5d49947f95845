package dev.flotilla.controlplane;

import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.controlplane.store.EmbeddedPostgresServer;
import dev.flotilla.controlplane.tls.ServerTls;
import dev.flotilla.git.GitCredentials;
import dev.flotilla.git.GitLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The control plane's settings, built once from flags, environment and defaults. Start from {@link
 * #defaults(Path)} and change what differs with the {@code with…} methods.
 *
 * @param home local state ($FLOTILLA_HOME or ~/.flotilla): embedded Postgres data, Git cache, admin
 *     token
 * @param dbUrl {@code postgresql://user:pass@host:port/db} of an external Postgres; null for
 *     embedded
 * @param bindHost address the REST and gRPC servers listen on
 * @param httpPort REST port (0 picks a free one)
 * @param grpcPort agent gRPC port (0 picks a free one)
 * @param gitPollInterval how often Git revisions of Applications are re-resolved
 * @param defaultRequeue how often an ApplicationSet is regenerated when it does not say
 * @param appSetPolicy server-wide applicationsSync policy (create-only, create-update,
 *     create-delete, sync), or null when none is set
 * @param appSetPolicyOverride whether an ApplicationSet's own policy wins over the server's; as in
 *     Argo CD it defaults to true exactly when no server policy is set
 * @param webhookSecret HMAC secret (GitHub/Gitea) or token (GitLab) that Git webhooks must present;
 *     null accepts unsigned webhooks
 * @param tls certificate and key for HTTPS and gRPC over TLS (checked when loaded); null serves
 *     plaintext
 * @param auditRetention how long audit log entries are kept; zero keeps them forever
 * @param embeddedDurability fsync and synchronous commit of the embedded Postgres: durable unless
 *     the data is throw-away (demo, tests)
 * @param gitCredentials credentials for the repositories generators and the poller read (as the
 *     agent's: a per-URL file and/or one user); never logged
 * @param gitLimits timeout, deadline and snapshot size limits of every clone, fetch and read
 */
public record ControlPlaneConfig(
    Path home,
    String dbUrl,
    String bindHost,
    int httpPort,
    int grpcPort,
    Duration gitPollInterval,
    Duration defaultRequeue,
    String appSetPolicy,
    boolean appSetPolicyOverride,
    String webhookSecret,
    ServerTls tls,
    Duration auditRetention,
    EmbeddedPostgresServer.Durability embeddedDurability,
    GitCredentials gitCredentials,
    GitLimits gitLimits) {

  public static final Duration DEFAULT_GIT_POLL = Duration.ofMinutes(3);
  public static final Duration DEFAULT_REQUEUE = Duration.ofMinutes(3);
  public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(365);

  /**
   * Embedded Postgres, loopback, ports 8080/9090, Argo CD's 3-minute polling, no server policy, no
   * TLS, a year of audit log, anonymous Git with a 60-second timeout.
   */
  public static ControlPlaneConfig defaults(Path home) {
    return new ControlPlaneConfig(
        home,
        null,
        "127.0.0.1",
        8080,
        9090,
        DEFAULT_GIT_POLL,
        DEFAULT_REQUEUE,
        null,
        true,
        null,
        null,
        DEFAULT_AUDIT_RETENTION,
        EmbeddedPostgresServer.Durability.DURABLE,
        GitCredentials.none(),
        GitRepositories.DEFAULT_LIMITS);
  }

  public ControlPlaneConfig withDbUrl(String url) {
    return with(f -> f.dbUrl = url);
  }

  public ControlPlaneConfig withListen(String host, int http, int grpc) {
    return with(
        f -> {
          f.bindHost = host;
          f.httpPort = http;
          f.grpcPort = grpc;
        });
  }

  public ControlPlaneConfig withGitPollInterval(Duration poll) {
    return with(f -> f.gitPollInterval = poll);
  }

  public ControlPlaneConfig withDefaultRequeue(Duration requeue) {
    return with(f -> f.defaultRequeue = requeue);
  }

  /**
   * A server-wide policy; {@code override} null means Argo's default (no override once one is set).
   */
  public ControlPlaneConfig withAppSetPolicy(String policy, Boolean override) {
    return with(
        f -> {
          f.appSetPolicy = policy;
          f.appSetPolicyOverride = override != null ? override : policy == null;
        });
  }

  public ControlPlaneConfig withWebhookSecret(String secret) {
    return with(f -> f.webhookSecret = secret);
  }

  /** Serve REST over HTTPS and gRPC over TLS with this certificate; null for plaintext. */
  public ControlPlaneConfig withTls(ServerTls serverTls) {
    return with(f -> f.tls = serverTls);
  }

  /** Keep audit log entries this long; zero keeps them forever. */
  public ControlPlaneConfig withAuditRetention(Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("audit retention: must not be negative");
    }
    return with(f -> f.auditRetention = retention);
  }

  /**
   * Embedded Postgres without fsync or synchronous commit: a crash of the machine may lose or
   * corrupt its data. Only for throw-away data (the demo, tests).
   */
  public ControlPlaneConfig withFastEmbeddedPostgres() {
    return with(f -> f.embeddedDurability = EmbeddedPostgresServer.Durability.FAST);
  }

  /** Git credentials for every repository the control plane reads. */
  public ControlPlaneConfig withGitCredentials(GitCredentials credentials) {
    return with(f -> f.gitCredentials = credentials);
  }

  public ControlPlaneConfig withGitLimits(GitLimits limits) {
    return with(f -> f.gitLimits = limits);
  }

  /** A copy with {@code change} applied: each {@code with…} method names only what it changes. */
  private ControlPlaneConfig with(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new ControlPlaneConfig(
        f.home,
        f.dbUrl,
        f.bindHost,
        f.httpPort,
        f.grpcPort,
        f.gitPollInterval,
        f.defaultRequeue,
        f.appSetPolicy,
        f.appSetPolicyOverride,
        f.webhookSecret,
        f.tls,
        f.auditRetention,
        f.embeddedDurability,
        f.gitCredentials,
        f.gitLimits);
  }

  /** The components, mutable, for {@link #with}. */
  private static final class Fields {
    Path home;
    String dbUrl;
    String bindHost;
    int httpPort;
    int grpcPort;
    Duration gitPollInterval;
    Duration defaultRequeue;
    String appSetPolicy;
    boolean appSetPolicyOverride;
    String webhookSecret;
    ServerTls tls;
    Duration auditRetention;
    EmbeddedPostgresServer.Durability embeddedDurability;
    GitCredentials gitCredentials;
    GitLimits gitLimits;

    Fields(ControlPlaneConfig c) {
      home = c.home;
      dbUrl = c.dbUrl;
      bindHost = c.bindHost;
      httpPort = c.httpPort;
      grpcPort = c.grpcPort;
      gitPollInterval = c.gitPollInterval;
      defaultRequeue = c.defaultRequeue;
      appSetPolicy = c.appSetPolicy;
      appSetPolicyOverride = c.appSetPolicyOverride;
      webhookSecret = c.webhookSecret;
      tls = c.tls;
      auditRetention = c.auditRetention;
      embeddedDurability = c.embeddedDurability;
      gitCredentials = c.gitCredentials;
      gitLimits = c.gitLimits;
    }
  }

  public Path postgresDir() {
    return home.resolve("postgres");
  }

  public Path gitCacheDir() {
    return home.resolve("cache").resolve("git");
  }

  public Path adminTokenFile() {
    return home.resolve("admin.token");
  }
}
