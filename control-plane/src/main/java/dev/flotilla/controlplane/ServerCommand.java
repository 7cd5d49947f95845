package dev.flotilla.controlplane;

import dev.flotilla.controlplane.appofapps.AppOfAppsFeature;
import dev.flotilla.controlplane.appofapps.BootstrapSource;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.controlplane.metrics.MetricsServer;
import dev.flotilla.controlplane.tls.ServerTls;
import dev.flotilla.core.cli.TerminalText;
import dev.flotilla.core.metrics.MetricsPort;
import dev.flotilla.core.runtime.FlotillaHome;
import dev.flotilla.core.runtime.UntilInterrupted;
import dev.flotilla.core.time.Durations;
import dev.flotilla.core.tls.TlsConfigException;
import dev.flotilla.git.GitCredentials;
import dev.flotilla.git.GitLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla server}: the control plane. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the control plane: REST API, agent gRPC endpoint, ApplicationSet controller and Git poller.",
      "Uses an embedded PostgreSQL under $FLOTILLA_HOME/postgres unless --db-url names another."
    })
public final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "External Postgres, postgresql://user:pass@host:port/db (or env FLOTILLA_DB_URL)."
              + " Default: embedded.")
  String dbUrl;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on. Default: ${DEFAULT-VALUE} (use 0.0.0.0 for agents on other hosts).")
  String bind;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "REST port. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--grpc-port",
      defaultValue = "9090",
      description = "gRPC port, for agents and the platform API. Default: ${DEFAULT-VALUE}.")
  int grpcPort;

  @Option(
      names = MetricsPort.FLAG,
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://BIND:PORT/metrics, plain HTTP on a port of its own"
              + " (0: any free port; Argo CD's application controller uses 8082)."
              + " Default: off.")
  Integer metricsPort;

  @Option(
      names = "--git-poll-interval",
      defaultValue = "3m",
      paramLabel = "DURATION",
      description =
          "How often Git revisions are re-resolved (e.g. 30s, 3m, 1h). Default: ${DEFAULT-VALUE}.")
  Duration gitPoll;

  @Option(
      names = "--git-credentials",
      paramLabel = "FILE",
      description =
          "YAML file of Git credentials by repository URL prefix, as the agent's --git-credentials"
              + " (the longest matching prefix wins); mount it from a Secret. URLs no entry matches"
              + " use env FLOTILLA_GIT_USERNAME and FLOTILLA_GIT_PASSWORD when set."
              + " Default: none (anonymous).")
  Path gitCredentials;

  @Option(
      names = "--git-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How long one Git clone or fetch may take, and wait for the server, before it fails with"
              + " \"timed out\" (e.g. 30s, 2m; whole seconds). Default: ${DEFAULT-VALUE}.")
  Duration gitTimeout;

  @Option(
      names = "--appset-policy",
      paramLabel = "POLICY",
      description =
          "Server-wide applicationsSync policy: create-only, create-update, create-delete or sync."
              + " Default: none (each ApplicationSet's own, else sync).")
  String appSetPolicy;

  @Option(
      names = "--appset-policy-override",
      paramLabel = "true|false",
      arity = "1",
      description =
          "Let an ApplicationSet's syncPolicy.applicationsSync override --appset-policy."
              + " Default: true without --appset-policy, false with it (as Argo CD).")
  Boolean appSetPolicyOverride;

  @Option(
      names = "--bootstrap",
      paramLabel = "REPO_URL[@REVISION]:PATH",
      description =
          "Set this control plane up from Git: declares the root App of Apps 'flotilla-bootstrap'"
              + " (project default, automated prune) reading PATH of the repository at REVISION"
              + " (default HEAD); the Applications, ApplicationSets and AppProjects there become"
              + " its children. Or env FLOTILLA_BOOTSTRAP.")
  String bootstrap;

  @Option(
      names = "--webhook-secret",
      paramLabel = "SECRET",
      description =
          "Secret Git webhooks must be signed with (GitHub/Gitea HMAC, GitLab token); or env"
              + " FLOTILLA_WEBHOOK_SECRET. Default: unsigned webhooks accepted.")
  String webhookSecret;

  @Option(
      names = ServerTls.CERT_FLAG,
      paramLabel = "FILE",
      description =
          "PEM certificate (chain, leaf first) to serve REST over HTTPS and gRPC over TLS with"
              + " (or env FLOTILLA_TLS_CERT). Needs --tls-key. Default: plaintext.")
  Path tlsCert;

  @Option(
      names = ServerTls.KEY_FLAG,
      paramLabel = "FILE",
      description =
          "PEM private key of --tls-cert, PKCS#8 or PKCS#1, unencrypted (or env"
              + " FLOTILLA_TLS_KEY).")
  Path tlsKey;

  @Option(
      names = "--audit-retention-days",
      paramLabel = "DAYS",
      description =
          "Keep audit log entries this many days; 0 keeps them forever. Default: ${DEFAULT-VALUE}.",
      defaultValue = "365")
  int auditRetentionDays;

  @Option(
      names = {"-v", "--verbose"},
      description = "Debug logging.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (auditRetentionDays < 0) {
      System.err.println(
          "error: --audit-retention-days must be 0 (keep forever) or more, got "
              + auditRetentionDays);
      return 2;
    }
    if (appSetPolicy != null
        && !dev.flotilla.controlplane.appset.ApplicationSetController.POLICIES.contains(
            appSetPolicy)) {
      System.err.println(
          "error: --appset-policy must be create-only, create-update, create-delete or sync, got '"
              + appSetPolicy
              + "'");
      return 2;
    }
    GitCredentials git;
    GitLimits gitLimits;
    try {
      if (metricsPort != null) {
        MetricsPort.check(metricsPort, httpPort, grpcPort);
      }
      // Read and checked now: a typo in the file is a start-up error, not a failing generator
      // later.
      git = gitCredentials();
      if (gitTimeout.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "--git-timeout must be at least one second (e.g. 30s), not "
                + Durations.format(gitTimeout));
      }
      gitLimits =
          GitRepositories.limits(
              gitTimeout, GitRepositories.DEFAULT_MAX_FILES, GitRepositories.DEFAULT_MAX_BYTES);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("error: " + TerminalText.escape(e.getMessage()));
      return 2;
    }
    BootstrapSource root = null;
    try {
      String value = bootstrap != null ? bootstrap : System.getenv("FLOTILLA_BOOTSTRAP");
      if (value != null && !(bootstrap == null && value.isBlank())) {
        root =
            BootstrapSource.parse(value, bootstrap != null ? "--bootstrap" : "FLOTILLA_BOOTSTRAP");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + TerminalText.escape(e.getMessage()));
      return 2;
    }
    ServerTls tls;
    try {
      // Read and checked before Postgres or any listener starts: a bad file is a start-up error.
      tls = tls();
    } catch (TlsConfigException e) {
      System.err.println("error: " + TerminalText.escape(e.getMessage()));
      return 2;
    }
    String url = dbUrl != null ? dbUrl : System.getenv("FLOTILLA_DB_URL");
    ControlPlaneConfig config =
        ControlPlaneConfig.defaults(FlotillaHome.resolve())
            .withDbUrl(url == null || url.isBlank() ? null : url)
            .withListen(bind, httpPort, grpcPort)
            .withGitPollInterval(gitPoll)
            .withAppSetPolicy(appSetPolicy, appSetPolicyOverride)
            .withWebhookSecret(
                webhookSecret != null ? webhookSecret : System.getenv("FLOTILLA_WEBHOOK_SECRET"))
            .withTls(tls)
            .withGitCredentials(git)
            .withGitLimits(gitLimits)
            .withAuditRetention(java.time.Duration.ofDays(auditRetentionDays));
    ServerTls.plaintextWarning(bind, tls).ifPresent(System.err::println);
    System.out.println(
        "flotilla server: starting ("
            + (config.dbUrl() == null
                ? "embedded Postgres in " + config.postgresDir()
                : "external Postgres")
            + ")…");
    UntilInterrupted interrupt = new UntilInterrupted("server");
    java.util.concurrent.atomic.AtomicBoolean databaseLost =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (ControlPlane cp = ControlPlane.start(config)) {
      // A server without its database can only answer 500s: exit so that a supervisor restarts it.
      cp.onDatabaseFailure(
          () -> {
            databaseLost.set(true);
            interrupt.release();
          });
      System.out.printf(
          "flotilla server: REST %s://%s:%d  gRPC (agents and platform API) %s:%d%s%n",
          tls != null ? "https" : "http",
          bind,
          cp.httpPort(),
          bind,
          cp.grpcPort(),
          tls != null ? " over TLS (certificate " + tls.subject() + ")" : "");
      // Its name in the leases and clusters tables when several replicas share the database.
      System.out.printf("flotilla server: replica %s%n", cp.replica().id());
      if (metricsPort != null) {
        System.out.printf(
            "Metrics: http://%s:%d%s%n",
            bind, cp.serveMetrics(bind, metricsPort), MetricsServer.PATH);
      }
      cp.bootstrapToken()
          .ifPresentOrElse(
              token ->
                  System.out.printf(
                      "first start: created user 'admin' (role:admin) with this API token, shown"
                          + " once:%n%n    %s%n%n"
                          + "It is also in %s, where the CLI on this machine finds it.%n",
                      token, config.adminTokenFile()),
              () ->
                  System.out.printf(
                      "admin token: %s (written at first start)%n", config.adminTokenFile()));
      if (root != null) {
        try {
          cp.bootstrap(root).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
          System.out.printf(
              "bootstrap: root App of Apps '%s' reads %s at %s, path %s%n",
              AppOfAppsFeature.BOOTSTRAP_APPLICATION, root.repoUrl(), root.revision(), root.path());
        } catch (ExecutionException e) {
          System.err.println(
              "error: bootstrap: "
                  + TerminalText.escape(String.valueOf(e.getCause().getMessage())));
          return 2;
        }
      }
      interrupt.await();
      System.out.println(
          databaseLost.get()
              ? "flotilla server: the embedded PostgreSQL died and could not be restarted; exiting"
                  + " (status 3) so that a supervisor restarts the server"
              : "flotilla server: stopping");
    } finally {
      interrupt.finished();
    }
    return databaseLost.get() ? 3 : 0;
  }

  /** The file's entries, then the environment's user for every other URL (as the agent). */
  private GitCredentials gitCredentials() throws IOException {
    String user = blankToNull(System.getenv("FLOTILLA_GIT_USERNAME"));
    String password = blankToNull(System.getenv("FLOTILLA_GIT_PASSWORD"));
    return gitCredentials == null
        ? GitCredentials.of(user, password)
        : GitCredentials.load(gitCredentials, user, password);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** From the flags, else FLOTILLA_TLS_CERT / FLOTILLA_TLS_KEY; null when neither is set. */
  private ServerTls tls() {
    Path cert = tlsCert != null ? tlsCert : envPath("FLOTILLA_TLS_CERT");
    Path key = tlsKey != null ? tlsKey : envPath("FLOTILLA_TLS_KEY");
    return cert == null && key == null ? null : ServerTls.load(cert, key);
  }

  private static Path envPath(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? null : Path.of(value);
  }
}
