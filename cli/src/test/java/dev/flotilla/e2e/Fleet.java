package dev.flotilla.e2e;

import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.AgentConfig;
import dev.flotilla.agent.ClusterAgent;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.controlplane.tls.ServerTls;
import dev.flotilla.demo.SimulatedCluster;
import dev.flotilla.testkit.TestPostgres;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.vertx.core.Future;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A whole system for one test: control plane on its own database, simulated clusters, and one real
 * agent per cluster talking gRPC over loopback.
 */
final class Fleet implements AutoCloseable {

  static {
    // Awaitility fails the current wait with any uncaught exception of any thread in the JVM. An
    // earlier test class's control plane, closed while one of its worker tasks was still running,
    // throws one when that task ends (its event loop is gone): harmless, but it failed an
    // unrelated E2E's wait in CI. What a test waits for is asserted by its own condition.
    org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
  }

  static final Duration POLL = Duration.ofMillis(500);
  static final String WEBHOOK_SECRET = "it's a secret";

  private final Path home;
  private final ControlPlaneConfig config;
  private final Path agentCa;
  private final dev.flotilla.git.GitLimits gitLimits;
  private ControlPlane controlPlane;
  private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
  private final Map<String, ClusterAgent> agents = new LinkedHashMap<>();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  Fleet(Path home, String... clusterNames) throws Exception {
    this(home, POLL, clusterNames);
  }

  Fleet(Path home, Duration poll, String... clusterNames) throws Exception {
    this(home, poll, null, null, clusterNames);
  }

  /**
   * A fleet whose control plane serves {@code tls} (null: plaintext) and whose agents dial over TLS
   * trusting {@code agentCa} (null: plaintext).
   */
  Fleet(Path home, Duration poll, ServerTls tls, Path agentCa, String... clusterNames)
      throws Exception {
    this(home, poll, tls, agentCa, dev.flotilla.git.GitLimits.DEFAULTS, clusterNames);
  }

  /** A fleet whose control plane and agents all use these Git timeouts and limits. */
  Fleet(Path home, dev.flotilla.git.GitLimits gitLimits, String... clusterNames) throws Exception {
    this(home, POLL, null, null, gitLimits, clusterNames);
  }

  private Fleet(
      Path home,
      Duration poll,
      ServerTls tls,
      Path agentCa,
      dev.flotilla.git.GitLimits gitLimits,
      String... clusterNames)
      throws Exception {
    this.home = home;
    this.agentCa = agentCa;
    this.gitLimits = gitLimits;
    this.config =
        ControlPlaneConfig.defaults(home.resolve("cp"))
            .withListen("127.0.0.1", 0, 0)
            .withGitPollInterval(poll)
            .withWebhookSecret(WEBHOOK_SECRET)
            .withTls(tls)
            .withGitLimits(gitLimits);
    this.controlPlane = ControlPlane.start(config, Database.of(TestPostgres.fresh()));
    for (String name : clusterNames) {
      // A test cluster: missing namespaces are created (many E2Es never create theirs, as
      // fabric8's mock allowed) and requests are recorded for drainRequests().
      SimulatedCluster cluster = SimulatedCluster.start(name, true);
      clusters.put(name, cluster);
      String token = JoinTokens.newToken();
      tokens.put(name, token);
      get(
          controlPlane
              .clusters()
              .insert(name, cluster.url(), Map.of("env", name), Map.of(), JoinTokens.hash(token)));
      startAgent(name);
    }
  }

  /** Stops the control plane only. */
  void stopControlPlane() throws Exception {
    controlPlane.close();
  }

  /** Starts it again after {@link #stopControlPlane()}, on the same ports and database. */
  void startControlPlane(int http, int grpc, io.vertx.pgclient.PgConnectOptions database)
      throws Exception {
    startControlPlane(http, grpc, database, config.tls());
  }

  /** The same, serving another certificate (null: plaintext). */
  void startControlPlane(
      int http, int grpc, io.vertx.pgclient.PgConnectOptions database, ServerTls tls)
      throws Exception {
    controlPlane =
        ControlPlane.start(
            config.withListen("127.0.0.1", http, grpc).withTls(tls),
            dev.flotilla.controlplane.store.Database.of(database));
  }

  ControlPlane controlPlane() {
    return controlPlane;
  }

  SimulatedCluster cluster(String name) {
    return clusters.get(name);
  }

  ClusterAgent agent(String name) {
    return agents.get(name);
  }

  String token(String cluster) {
    return tokens.get(cluster);
  }

  void startAgent(String name) {
    startAgent(name, "127.0.0.1:" + controlPlane.grpcPort());
  }

  /** Starts the agent of {@code name} with these heartbeat and health settings. */
  void startAgent(String name, dev.flotilla.agent.HealthSettings health) {
    startAgent(name, "127.0.0.1:" + controlPlane.grpcPort(), health);
  }

  /** Starts the agent of {@code name} dialling {@code controlPlaneAddress}. */
  void startAgent(String name, String controlPlaneAddress) {
    startAgent(name, controlPlaneAddress, dev.flotilla.agent.HealthSettings.DEFAULTS);
  }

  private void startAgent(
      String name, String controlPlaneAddress, dev.flotilla.agent.HealthSettings health) {
    AgentConfig agentConfig =
        AgentConfig.builder(controlPlaneAddress, name, tokens.get(name))
            .stateDir(home.resolve("agents").resolve(name))
            .resyncInterval(Duration.ofMinutes(5))
            .workers(2)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .gitLimits(gitLimits)
            .build();
    ClusterAgent agent =
        new ClusterAgent(
            agentCa == null ? agentConfig : agentConfig.withTls(agentCa),
            clusters.get(name).client(),
            health);
    agents.put(name, agent);
    agent.start();
  }

  void stopAgent(String name) {
    ClusterAgent agent = agents.remove(name);
    if (agent != null) {
      agent.close();
    }
  }

  void apply(String applicationSetYaml) throws Exception {
    get(controlPlane.controller().apply(applicationSetYaml));
  }

  List<ApplicationView> applications() {
    return get(controlPlane.applications().listViews(null));
  }

  Optional<ApplicationView> application(String name) {
    return get(controlPlane.applications().listViews(name)).stream().findFirst();
  }

  /** Waits until these Applications are Synced at their current generation. */
  void awaitSynced(String... names) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                List.of(names).stream()
                    .allMatch(
                        n ->
                            application(n)
                                .map(ApplicationView::isSyncedAtCurrentGeneration)
                                .orElse(false)));
  }

  /** Waits until the agents report having applied {@code sha} for these Applications. */
  void awaitRevision(String sha, String... names) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                List.of(names).stream()
                    .allMatch(
                        n -> application(n).map(a -> sha.equals(a.revision())).orElse(false)));
  }

  /**
   * Calls the control plane's REST API over plain HTTP as the admin; a null {@code body} sends
   * none.
   */
  HttpResponse<String> rest(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.httpPort() + path))
            .header("Authorization", "Bearer " + controlPlane.adminToken().value())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A new plaintext channel to the control plane's gRPC port as it is now; the caller shuts it
   * down.
   */
  ManagedChannel grpcChannel() {
    return ManagedChannelBuilder.forAddress("127.0.0.1", controlPlane.grpcPort())
        .usePlaintext()
        .build();
  }

  /** Call credentials carrying {@code token} as a bearer token. */
  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(m);
      }
    };
  }

  ConfigMap configMap(String cluster, String namespace, String name) {
    return clusters.get(cluster).client().configMaps().inNamespace(namespace).withName(name).get();
  }

  static int unusedPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static <T> T get(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    agents.values().forEach(ClusterAgent::close);
    clusters.values().forEach(SimulatedCluster::close);
    controlPlane.close();
  }
}
