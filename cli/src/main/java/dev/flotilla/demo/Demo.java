package dev.flotilla.demo;

import dev.flotilla.agent.AgentCommand;
import dev.flotilla.agent.AgentConfig;
import dev.flotilla.agent.ClusterAgent;
import dev.flotilla.agent.metrics.MetricsEndpoint;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.JoinTokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Everything the demo runs, in one process: control plane with embedded Postgres, a sample infra
 * repo, three simulated clusters, one agent per cluster, and an ApplicationSet deploying every app
 * everywhere.
 */
public final class Demo implements AutoCloseable {

  /** The simulated clusters and their {@code env} labels. */
  public static final List<String> CLUSTERS = List.of("dev", "staging", "prod");

  /**
   * @param home the demo's directory (wiped at start)
   * @param pollInterval how often Git is polled
   */
  public record Options(
      Path home, String bindHost, int httpPort, int grpcPort, Duration pollInterval) {}

  private final Options options;
  private final PrintStream out;
  private final List<SimulatedCluster> clusters = new ArrayList<>();
  private final List<ClusterAgent> agents = new ArrayList<>();
  private final List<KubernetesClient> agentClients = new ArrayList<>();
  private final List<Path> kubeconfigs = new ArrayList<>();
  private ControlPlane controlPlane;
  private final List<MetricsEndpoint> agentMetrics = new ArrayList<>();
  private final Map<String, String> metricsUrls = new LinkedHashMap<>();
  private String repoUrl;

  private Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Starts everything and applies the demo ApplicationSet; returns without waiting for sync. */
  public static Demo start(Options options, PrintStream out) throws Exception {
    Demo demo = new Demo(options, out);
    try {
      demo.startAll();
    } catch (Exception e) {
      demo.close();
      throw e;
    }
    return demo;
  }

  private void startAll() throws Exception {
    Path home = options.home();
    deleteTree(home);
    Files.createDirectories(home);

    step("creating the sample infra repo (a real Git repository)");
    repoUrl = DemoRepository.create(repoDir());
    out.println(
        "        " + repoDir() + "  (apps: " + String.join(", ", DemoRepository.APPS) + ")");

    step("starting the control plane with embedded PostgreSQL");
    controlPlane =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home.resolve("control-plane"))
                .withFastEmbeddedPostgres()
                .withListen(options.bindHost(), options.httpPort(), options.grpcPort())
                .withGitPollInterval(options.pollInterval()));
    metricsUrl(
        "control plane", options.bindHost(), controlPlane.serveMetrics(options.bindHost(), 0));

    step(
        "starting 3 SIMULATED clusters (in-process Kubernetes API servers with controllers that"
            + " kubectl can drive; not real ones)");
    for (String name : CLUSTERS) {
      SimulatedCluster cluster = SimulatedCluster.start(name);
      clusters.add(cluster);
      Path kubeconfig = cluster.writeKubeconfig(home.resolve("kubeconfig-" + name + ".yaml"));
      kubeconfigs.add(kubeconfig);
      String token = JoinTokens.newToken();
      await(
          controlPlane
              .clusters()
              .insert(name, cluster.url(), Map.of("env", name), Map.of(), JoinTokens.hash(token)));
      out.printf(
          "        %-8s env=%-8s %s  kubeconfig %s%n", name, name, cluster.url(), kubeconfig);

      KubernetesClient client = AgentCommand.kubernetesClient(kubeconfig);
      agentClients.add(client);
      ClusterAgent agent =
          new ClusterAgent(
              AgentConfig.builder("127.0.0.1:" + controlPlane.grpcPort(), name, token)
                  .stateDir(home.resolve("agents").resolve(name))
                  .resyncInterval(Duration.ofSeconds(30))
                  .workers(4)
                  .backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                  .build(),
              client);
      agents.add(agent);
    }

    step("starting one agent per cluster (each dials out to the control plane over gRPC)");
    agents.forEach(ClusterAgent::start);
    for (int i = 0; i < agents.size(); i++) {
      MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, agents.get(i).metrics());
      agentMetrics.add(endpoint);
      metricsUrl("agent " + CLUSTERS.get(i), "127.0.0.1", endpoint.port());
    }

    step(
        "applying the ApplicationSet 'demo' (matrix: every directory under apps/ × every cluster;"
            + " automated sync, prune, selfHeal)");
    String appSet = DemoRepository.applicationSet(repoUrl);
    Files.writeString(home.resolve("applicationset.yaml"), appSet);
    await(controlPlane.controller().apply(appSet));
  }

  /**
   * Waits until every Application is Synced at its current generation.
   *
   * @return null when all are synced, otherwise why not
   */
  public String awaitAllSynced(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String lastProgress = "";
    while (true) {
      List<ApplicationView> views = applications();
      long synced = views.stream().filter(ApplicationView::isSyncedAtCurrentGeneration).count();
      String progress = synced + "/" + views.size() + " Applications synced";
      if (!views.isEmpty() && synced == views.size()) {
        out.println("        " + progress);
        return null;
      }
      if (!progress.equals(lastProgress)) {
        out.println("        " + progress + "…");
        lastProgress = progress;
      }
      if (Instant.now().isAfter(deadline)) {
        StringBuilder why =
            new StringBuilder("only " + progress + " after " + timeout.toSeconds() + " s");
        views.stream()
            .filter(v -> !v.isSyncedAtCurrentGeneration())
            .limit(5)
            .forEach(
                v ->
                    why.append("\n  ")
                        .append(v.name())
                        .append(": ")
                        .append(v.syncStatus())
                        .append(
                            v.dispatchError() != null
                                ? " — " + v.dispatchError()
                                : v.message().isEmpty() ? "" : " — " + v.message()));
        return why.toString();
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /** After sync, gives rollouts a moment to report Healthy; returns whether all did. */
  public boolean awaitAllHealthy(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (applications().stream().allMatch(v -> "Healthy".equals(v.health()))) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return false;
  }

  public List<ApplicationView> applications() throws Exception {
    return await(controlPlane.applications().listViews(null));
  }

  /** A narrator that follows each new commit of the demo repository to every cluster. */
  public DemoNarrator narrator(PrintStream to) {
    return narrator(to, () -> {});
  }

  /** As {@link #narrator(PrintStream)}, calling {@code onApplied} when a commit is everywhere. */
  public DemoNarrator narrator(PrintStream to, Runnable onApplied) {
    return new DemoNarrator(repoDir(), this::applications, to, onApplied);
  }

  /** Reports each Deployment changed by hand and put back by self-heal, with the time it took. */
  public DemoHealWatcher healWatcher(PrintStream to) {
    return new DemoHealWatcher(clusters, to);
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public List<SimulatedCluster> clusters() {
    return clusters;
  }

  public List<Path> kubeconfigs() {
    return kubeconfigs;
  }

  public Path repoDir() {
    return options.home().resolve("infra-repo");
  }

  public String repoUrl() {
    return repoUrl;
  }

  private void metricsUrl(String who, String host, int port) {
    String url = "http://" + host + ":" + port + MetricsEndpoint.PATH;
    metricsUrls.put(who, url);
    out.printf("        Metrics: %s  (%s)%n", url, who);
  }

  /** {@code /metrics} of the control plane and of each agent, by "control plane", "agent dev"… */
  public Map<String, String> metricsUrls() {
    return Collections.unmodifiableMap(metricsUrls);
  }

  private void step(String what) {
    out.println("==> " + what);
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    out.println("==> stopping agents, simulated clusters and the control plane");
    agentMetrics.forEach(MetricsEndpoint::close);
    agents.forEach(ClusterAgent::close);
    agentClients.forEach(KubernetesClient::close);
    clusters.forEach(SimulatedCluster::close);
    if (controlPlane != null) {
      try {
        controlPlane.close();
      } catch (Exception e) {
        out.println("warning: control plane did not stop cleanly: " + e.getMessage());
      }
    }
    out.println("==> stopped");
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
