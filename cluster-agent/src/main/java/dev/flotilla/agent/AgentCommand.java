package dev.flotilla.agent;

import dev.flotilla.agent.metrics.MetricsEndpoint;
import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.core.cli.DurationConverter;
import dev.flotilla.core.metrics.MetricsPort;
import dev.flotilla.core.runtime.FlotillaHome;
import dev.flotilla.core.runtime.UntilInterrupted;
import dev.flotilla.core.time.Durations;
import dev.flotilla.core.tls.TlsConfigException;
import dev.flotilla.git.GitLimits;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla agent}: runs the agent for one cluster until interrupted. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Run the cluster agent: dial out to the control plane, receive this cluster's Applications,"
          + " and keep the cluster equal to Git.",
      "The agent keeps reconciling its last assignments while the control plane is unreachable."
    },
    footer = {
      "",
      "Example:",
      "  flotilla agent --control-plane cp.example.com:9090 --cluster prod-eu \\",
      "      --token \"$(cat prod-eu.token)\" --kubeconfig ~/.kube/prod-eu.yaml \\",
      "      --state-store configmap --git-credentials /etc/flotilla/git/creds.yaml",
      "",
      "Git credentials file (--git-credentials):",
      "  credentials:",
      "    - urlPrefix: https://git.example.com/platform/",
      "      username: flotilla",
      "      passwordFile: token              # or password: ...",
      "    - urlPrefix: ssh://git@git.example.com/",
      "      sshPrivateKeyFile: id_ed25519     # unencrypted OpenSSH or PEM key",
      "      sshKnownHostsFile: known_hosts    # default: ~/.ssh/known_hosts",
      "Relative paths are resolved against the file's directory.",
      "SSH hosts whose key is not in the known-hosts file are refused."
    })
public final class AgentCommand implements Callable<Integer> {

  /** The agent runs in a pod: Prometheus scrapes it on the pod's address. */
  static final String METRICS_BIND = "0.0.0.0";

  @Option(
      names = "--control-plane",
      required = true,
      paramLabel = "HOST:PORT",
      description =
          "The control plane's agent gRPC address (flotilla server --grpc-port);"
              + " https://HOST:PORT dials over TLS like --tls. Several replicas without a load"
              + " balancer: HOST:PORT,HOST:PORT,... (each stream goes to one picked at random,"
              + " another one after each disconnection).")
  String controlPlane;

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      description = "This cluster's name as registered with `flotilla cluster add`.")
  String cluster;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Join token printed by `flotilla cluster add` (or env FLOTILLA_AGENT_TOKEN).")
  String token;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig of the cluster to manage. Default: in-cluster service account, then"
              + " ~/.kube/config.")
  Path kubeconfig;

  @Option(
      names = "--tls",
      description =
          "Dial the control plane over TLS, trusting the JDK's CAs (a server started with"
              + " --tls-cert). Default: plaintext.")
  boolean tls;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description =
          "Use TLS and trust only this CA certificate (or the server's self-signed certificate)"
              + " for the control plane. Default: plaintext.")
  Path caFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the Git cache (and, with --state-store file, the assignments) are kept."
              + " Default: $FLOTILLA_HOME/agent/NAME.")
  Path stateDir;

  @Option(
      names = "--state-store",
      defaultValue = "file",
      paramLabel = "file|configmap",
      converter = StateStoreConverter.class,
      description = {
        "Where the assignments are persisted so that the agent keeps reconciling them after a"
            + " restart while the control plane is unreachable. Default: ${DEFAULT-VALUE}.",
        "  file: assignments.json in --state-dir (use a persistent volume in a pod).",
        "  configmap: ConfigMap flotilla-agent-state-NAME in --state-namespace; needs"
            + " RBAC get, create and patch on ConfigMaps there, and holds at most 1 MiB of"
            + " assignments.",
        "Drift events not yet acknowledged by the control plane are kept the same way"
            + " (drift-journal.json, or ConfigMap flotilla-agent-drift-NAME), the last 1,000."
      })
  AgentConfig.StateStore stateStore;

  @Option(
      names = "--state-namespace",
      defaultValue = AgentConfig.DEFAULT_STATE_NAMESPACE,
      paramLabel = "NAMESPACE",
      description =
          "Namespace of the state ConfigMap with --state-store configmap; it must exist."
              + " Default: ${DEFAULT-VALUE}.")
  String stateNamespace;

  @Option(
      names = "--git-credentials",
      paramLabel = "FILE",
      description =
          "YAML file of Git credentials by repository URL prefix, the longest matching prefix"
              + " winning (format below); mount it from a Secret. An entry here wins over the"
              + " credentials the control plane sends for this agent's repositories (its"
              + " 'flotilla repo add' entries, held in memory only). URLs neither covers use env"
              + " FLOTILLA_GIT_USERNAME and FLOTILLA_GIT_PASSWORD when set. Default: none.")
  Path gitCredentials;

  @Option(
      names = "--helm-credentials",
      paramLabel = "FILE",
      description =
          "YAML file of credentials for Helm chart repositories (https://) and OCI registries"
              + " (oci://host/path) by URL prefix, in the format of --git-credentials, with"
              + " username + password(File) or bearerToken(File); mount it from a Secret."
              + " Default: none (anonymous).")
  Path helmCredentials;

  @Option(
      names = "--git-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How long a Git clone or fetch waits for the server to connect or send the next bytes"
              + " before it fails with \"timed out\" (e.g. 30s, 2m; whole seconds)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration gitTimeout;

  @Option(
      names = "--git-deadline",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description =
          "How long one Git clone or fetch may take in all, however steadily the server answers"
              + " (e.g. 10m, 1h). Default: ${DEFAULT-VALUE}.")
  Duration gitDeadline;

  @Option(
      names = "--max-checkout-mib",
      defaultValue = "512",
      paramLabel = "MIB",
      description =
          "The most file content one checkout of a commit may write, in MiB; a larger commit"
              + " fails its Applications with an error naming the limit. Default: ${DEFAULT-VALUE}.")
  long maxCheckoutMib;

  @Option(
      names = "--git-max-fetch-mib",
      defaultValue = "2048",
      paramLabel = "MIB",
      description =
          "The most one clone or fetch of a repository may receive, in MiB (the pack as sent);"
              + " a larger transfer is cancelled and its Applications fail with an error naming"
              + " the limit. Default: ${DEFAULT-VALUE}.")
  long gitMaxFetchMib;

  @Option(
      names = "--max-checkout-files",
      defaultValue = "100000",
      paramLabel = "N",
      description =
          "The most files and symlinks one checkout of a commit may write."
              + " Default: ${DEFAULT-VALUE}.")
  long maxCheckoutFiles;

  @Option(
      names = "--resync-interval",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "Reconcile every Application at least this often (e.g. 60s, 5m). Default: ${DEFAULT-VALUE}.")
  Duration resyncInterval;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Reconciles running in parallel. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = "--render-timeout",
      defaultValue = "90s",
      paramLabel = "DURATION",
      description =
          "Longest one Helm or Kustomize render may run (e.g. 90s, 5m); past it the renderer and"
              + " everything it started are killed and the Application reports the timeout."
              + " Default: ${DEFAULT-VALUE}.")
  Duration renderTimeout;

  @Option(
      names = "--kube-connect-timeout",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Longest wait to connect to the cluster's API server (e.g. 5s). Default: ${DEFAULT-VALUE}.")
  Duration kubeConnectTimeout;

  @Option(
      names = "--kube-request-timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description =
          "Longest wait for one Kubernetes API request to be answered (e.g. 30s, 1m); a request"
              + " past it fails and its heal or reconcile is retried later, so one hung object"
              + " never holds the others. Default: ${DEFAULT-VALUE}.")
  Duration kubeRequestTimeout;

  @Option(
      names = "--kube-watch-resync",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description =
          "Restart every watch with a fresh list this often (e.g. 10m), so that a watch that"
              + " stalls without closing is noticed. Default: ${DEFAULT-VALUE}.")
  Duration kubeWatchResync;

  @Option(
      names = MetricsPort.FLAG,
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://0.0.0.0:PORT/metrics (all addresses, for a"
              + " Prometheus scraping the pod), plain HTTP (0: any free port). Default: off.")
  Integer metricsPort;

  /** The command line of {@code command}, reading durations as {@code 3m} or {@code PT3M}. */
  public static CommandLine commandLine(AgentCommand command) {
    return DurationConverter.registerOn(new CommandLine(command));
  }

  @Override
  public Integer call() throws Exception {
    // An OutOfMemoryError in any thread ends the agent so that Kubernetes restarts it.
    FatalErrors.install();
    String effectiveToken = token != null ? token : System.getenv("FLOTILLA_AGENT_TOKEN");
    if (effectiveToken == null || effectiveToken.isBlank()) {
      System.err.println(
          "error: no token. Pass --token or set FLOTILLA_AGENT_TOKEN (flotilla cluster add prints"
              + " one).");
      return 2;
    }
    GitLimits gitLimits;
    KubeApiTimeouts kubeTimeouts;
    try {
      if (metricsPort != null) {
        MetricsPort.check(metricsPort);
      }
      gitLimits = gitLimits();
      kubeTimeouts = kubeApiTimeouts();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    AgentConfig config =
        AgentConfig.builder(controlPlane, cluster, effectiveToken.trim())
            .caFile(caFile)
            .stateDir(
                stateDir != null
                    ? stateDir
                    : FlotillaHome.resolve().resolve("agent").resolve(cluster))
            .resyncInterval(resyncInterval)
            .workers(workers)
            .backoff(AgentConfig.DEFAULT_INITIAL_BACKOFF, AgentConfig.DEFAULT_MAX_BACKOFF)
            .gitUser(
                blankToNull(System.getenv("FLOTILLA_GIT_USERNAME")),
                blankToNull(System.getenv("FLOTILLA_GIT_PASSWORD")))
            .stateStore(stateStore)
            .stateNamespace(stateNamespace)
            .gitCredentialsFile(gitCredentials)
            .tls(tls)
            .gitLimits(gitLimits)
            .kubeApiTimeouts(kubeTimeouts)
            .helmCredentialsFile(helmCredentials)
            .build();
    if (renderTimeout.isNegative() || renderTimeout.isZero()) {
      System.err.println(
          "error: --render-timeout must be positive, not " + Durations.format(renderTimeout));
      return 2;
    }
    if (controlPlane.startsWith("http://")) {
      System.err.println(
          "error: --control-plane takes HOST:PORT (plaintext) or https://HOST:PORT (TLS), not "
              + controlPlane);
      return 2;
    }
    try {
      // The CA file is read now so that a wrong path stops the agent instead of every dial.
      ControlPlaneTls.channelCredentials(config);
    } catch (TlsConfigException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      // Checked before connecting anywhere: a typo in the file is a start-up error, not a
      // reconcile failure of every Application later.
      ClusterAgent.gitCredentials(config);
      ClusterAgent.helmCredentials(config);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    // Ctrl-C / SIGTERM lets the agent close (and send its last statuses) before the JVM exits.
    UntilInterrupted interrupt = new UntilInterrupted("agent");
    try (KubernetesClient kubernetes = kubernetesClient(kubeconfig, kubeTimeouts);
        ClusterAgent agent = new ClusterAgent(config, kubernetes, reconcilerOptions());
        MetricsEndpoint metrics =
            metricsPort == null
                ? null
                : MetricsEndpoint.start(METRICS_BIND, metricsPort, agent.metrics())) {
      agent.start();
      if (metrics != null) {
        System.out.printf(
            "Metrics: http://%s:%d%s%n", METRICS_BIND, metrics.port(), MetricsEndpoint.PATH);
      }
      System.out.printf(
          "flotilla agent: cluster %s, control plane %s%s, assignments in %s, Git cache in %s%n",
          cluster,
          config.target(),
          config.tls()
              ? " (TLS" + (caFile != null ? ", trusting " + caFile : "") + ")"
              : " (plaintext)",
          config.stateStore() == AgentConfig.StateStore.CONFIGMAP
              ? "ConfigMap " + config.stateNamespace() + "/" + config.stateConfigMap()
              : config.assignmentsFile(),
          config.gitCacheDir());
      interrupt.await();
    } catch (StatePersistenceException e) {
      // e.g. the state ConfigMap cannot be read: say so instead of a stack trace.
      System.err.println("error: " + e.getMessage());
      return 1;
    } finally {
      interrupt.finished();
    }
    return 0;
  }

  ReconcilerOptions reconcilerOptions() {
    ReconcilerOptions defaults = ReconcilerOptions.defaults();
    return defaults.withLimits(defaults.limits().withRenderTimeout(renderTimeout));
  }

  /** The Kubernetes API deadlines the flags give. */
  KubeApiTimeouts kubeApiTimeouts() {
    return new KubeApiTimeouts(kubeConnectTimeout, kubeRequestTimeout, kubeWatchResync);
  }

  /** The Git limits the flags give. */
  GitLimits gitLimits() {
    if (maxCheckoutMib < 1 || maxCheckoutMib > Long.MAX_VALUE >> 20) {
      throw new IllegalArgumentException(
          "--max-checkout-mib must be a positive number of MiB, not " + maxCheckoutMib);
    }
    if (maxCheckoutFiles < 1) {
      throw new IllegalArgumentException(
          "--max-checkout-files must be positive, not " + maxCheckoutFiles);
    }
    if (gitTimeout == null || gitTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "--git-timeout must be at least one second (e.g. 30s), not "
              + (gitTimeout == null ? null : Durations.format(gitTimeout)));
    }
    if (gitDeadline == null || gitDeadline.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "--git-deadline must be at least one second (e.g. 10m), not "
              + (gitDeadline == null ? null : Durations.format(gitDeadline)));
    }
    if (gitMaxFetchMib < 1 || gitMaxFetchMib > Long.MAX_VALUE >> 20) {
      throw new IllegalArgumentException(
          "--git-max-fetch-mib must be a positive number of MiB, not " + gitMaxFetchMib);
    }
    return new GitLimits(
        gitTimeout, maxCheckoutMib << 20, maxCheckoutFiles, gitDeadline, gitMaxFetchMib << 20);
  }

  /** Accepts the flag's documented lower-case values (and any case). */
  static final class StateStoreConverter
      implements CommandLine.ITypeConverter<AgentConfig.StateStore> {
    @Override
    public AgentConfig.StateStore convert(String value) {
      try {
        return AgentConfig.StateStore.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "expected file or configmap, not '" + value + "'");
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /**
   * A client for the cluster named by {@code kubeconfig}, or the default discovery when null, with
   * the default API deadlines.
   */
  public static KubernetesClient kubernetesClient(Path kubeconfig) throws IOException {
    return kubernetesClient(kubeconfig, KubeApiTimeouts.DEFAULTS);
  }

  /** The same with {@code timeouts} on every call (connect, request). */
  public static KubernetesClient kubernetesClient(Path kubeconfig, KubeApiTimeouts timeouts)
      throws IOException {
    Config config;
    if (kubeconfig == null) {
      config = Config.autoConfigure(null);
    } else {
      if (!Files.isReadable(kubeconfig)) {
        throw new IOException("kubeconfig " + kubeconfig + " does not exist or is not readable");
      }
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    }
    return new KubernetesClientBuilder().withConfig(timeouts.applyTo(config)).build();
  }
}
