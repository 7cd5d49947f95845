package dev.flotilla.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      "      --token \"$(cat prod-eu.token)\" --kubeconfig ~/.kube/prod-eu.yaml"
    })
public final class AgentCommand implements Callable<Integer> {

  @Option(
      names = "--control-plane",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The control plane's agent gRPC address (flotilla server --grpc-port).")
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
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Use TLS and trust this CA for the control plane. Default: plaintext.")
  Path caFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where assignments and the Git cache are kept. Default: $FLOTILLA_HOME/agent/NAME.")
  Path stateDir;

  @Option(
      names = "--resync-interval",
      defaultValue = "PT60S",
      paramLabel = "DURATION",
      description =
          "Reconcile every Application at least this often (ISO-8601). Default: ${DEFAULT-VALUE}.")
  Duration resyncInterval;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Reconciles running in parallel. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Override
  public Integer call() throws Exception {
    String effectiveToken = token != null ? token : System.getenv("FLOTILLA_AGENT_TOKEN");
    if (effectiveToken == null || effectiveToken.isBlank()) {
      System.err.println(
          "error: no token. Pass --token or set FLOTILLA_AGENT_TOKEN (flotilla cluster add prints"
              + " one).");
      return 2;
    }
    AgentConfig config =
        new AgentConfig(
            controlPlane,
            cluster,
            effectiveToken.trim(),
            caFile,
            stateDir != null ? stateDir : FlotillaHome.resolve().resolve("agent").resolve(cluster),
            resyncInterval,
            workers,
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            blankToNull(System.getenv("FLOTILLA_GIT_USERNAME")),
            blankToNull(System.getenv("FLOTILLA_GIT_PASSWORD")));
    try (KubernetesClient kubernetes = kubernetesClient(kubeconfig);
        ClusterAgent agent = new ClusterAgent(config, kubernetes)) {
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "agent-shutdown"));
      agent.start();
      System.out.printf(
          "flotilla agent: cluster %s, control plane %s, state in %s%n",
          cluster, controlPlane, config.stateDir());
      stop.await();
    }
    return 0;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** A client for the cluster named by {@code kubeconfig}, or the default discovery when null. */
  public static KubernetesClient kubernetesClient(Path kubeconfig) throws IOException {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new IOException("kubeconfig " + kubeconfig + " does not exist or is not readable");
    }
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
