package dev.flotilla.controlplane;

import dev.flotilla.controlplane.tls.ServerTls;
import java.nio.file.Path;
import java.time.Duration;

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
    ServerTls tls) {

  public static final Duration DEFAULT_GIT_POLL = Duration.ofMinutes(3);
  public static final Duration DEFAULT_REQUEUE = Duration.ofMinutes(3);

  /**
   * Embedded Postgres, loopback, ports 8080/9090, Argo CD's 3-minute polling, no server policy, no
   * TLS.
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
        null);
  }

  public ControlPlaneConfig withDbUrl(String url) {
    return new ControlPlaneConfig(
        home,
        url,
        bindHost,
        httpPort,
        grpcPort,
        gitPollInterval,
        defaultRequeue,
        appSetPolicy,
        appSetPolicyOverride,
        webhookSecret,
        tls);
  }

  public ControlPlaneConfig withListen(String host, int http, int grpc) {
    return new ControlPlaneConfig(
        home,
        dbUrl,
        host,
        http,
        grpc,
        gitPollInterval,
        defaultRequeue,
        appSetPolicy,
        appSetPolicyOverride,
        webhookSecret,
        tls);
  }

  public ControlPlaneConfig withGitPollInterval(Duration poll) {
    return new ControlPlaneConfig(
        home,
        dbUrl,
        bindHost,
        httpPort,
        grpcPort,
        poll,
        defaultRequeue,
        appSetPolicy,
        appSetPolicyOverride,
        webhookSecret,
        tls);
  }

  public ControlPlaneConfig withDefaultRequeue(Duration requeue) {
    return new ControlPlaneConfig(
        home,
        dbUrl,
        bindHost,
        httpPort,
        grpcPort,
        gitPollInterval,
        requeue,
        appSetPolicy,
        appSetPolicyOverride,
        webhookSecret,
        tls);
  }

  /**
   * A server-wide policy; {@code override} null means Argo's default (no override once one is set).
   */
  public ControlPlaneConfig withAppSetPolicy(String policy, Boolean override) {
    boolean effectiveOverride = override != null ? override : policy == null;
    return new ControlPlaneConfig(
        home,
        dbUrl,
        bindHost,
        httpPort,
        grpcPort,
        gitPollInterval,
        defaultRequeue,
        policy,
        effectiveOverride,
        webhookSecret,
        tls);
  }

  public ControlPlaneConfig withWebhookSecret(String secret) {
    return new ControlPlaneConfig(
        home,
        dbUrl,
        bindHost,
        httpPort,
        grpcPort,
        gitPollInterval,
        defaultRequeue,
        appSetPolicy,
        appSetPolicyOverride,
        secret,
        tls);
  }

  /** Serve REST over HTTPS and gRPC over TLS with this certificate; null for plaintext. */
  public ControlPlaneConfig withTls(ServerTls serverTls) {
    return new ControlPlaneConfig(
        home,
        dbUrl,
        bindHost,
        httpPort,
        grpcPort,
        gitPollInterval,
        defaultRequeue,
        appSetPolicy,
        appSetPolicyOverride,
        webhookSecret,
        serverTls);
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
