package dev.flotilla.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.StatusBatch;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real control plane (Postgres, generation, dispatch) scraped over HTTP while
 * an agent end speaking the real protocol over Netty connects and reports its Application synced:
 * the Argo CD series change with it.
 */
class MetricsIT {

  private static final String CLUSTER = "prod";
  private static final String SERVER = "https://prod.example:6443";

  @TempDir Path home;
  private ControlPlane cp;
  private String token;
  private ManagedChannel channel;
  private int metricsPort;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    metricsPort = cp.serveMetrics("127.0.0.1", 0);
    token = JoinTokens.newToken();
    get(cp.clusters().insert(CLUSTER, SERVER, Map.of(), Map.of(), JoinTokens.hash(token)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  private static final String APP_SET =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: platform
      spec:
        generators:
          - list:
              elements:
                - {app: billing}
        template:
          metadata:
            name: '{{app}}'
          spec:
            project: default
            source:
              repoURL: https://example.invalid/infra.git
              path: '{{app}}'
            destination:
              name: prod
              namespace: '{{app}}'
            syncPolicy:
              automated: {prune: true}
      """;

  private static final String BILLING_LABELS =
      "autosync_enabled=\"true\",dest_namespace=\"billing\",dest_server=\""
          + SERVER
          + "\",health_status=\"%s\",name=\"billing\",namespace=\"\",operation=\"%s\","
          + "project=\"default\",repo=\"https://example.invalid/infra\",sync_status=\"%s\"";

  @Test
  void argoCdSeriesFollowAnApplicationFromDispatchToSynced() throws Exception {
    get(cp.controller().apply(APP_SET));

    // Dispatched to a cluster whose agent has not reported yet: Argo CD's "sync" operation.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains(
                        "argocd_app_info{"
                            + BILLING_LABELS.formatted("Unknown", "sync", "Unknown")
                            + "} 1\n",
                        "argocd_cluster_connection_status{k8s_version=\"\",name=\"prod\",server=\""
                            + SERVER
                            + "\"} 0.0\n",
                        "argocd_appset_info{name=\"platform\",namespace=\"\","
                            + "resource_update_status=\"True\"} 1\n",
                        "flotilla_agents_connected 0.0\n"));

    Agent agent = new Agent();
    agent.connect();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.received.stream().anyMatch(ControlMessage::hasSnapshot));
    // One small Application: the snapshot comes as one message, not in chunks.
    Assignment billing =
        agent.received.stream()
            .filter(ControlMessage::hasSnapshot)
            .flatMap(m -> m.getSnapshot().getAssignmentsList().stream())
            .filter(a -> a.getName().equals("billing"))
            .findFirst()
            .orElseThrow();
    agent.synced(billing);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains(
                        "argocd_app_info{"
                            + BILLING_LABELS.formatted("Healthy", "", "Synced")
                            + "} 1\n",
                        "argocd_cluster_connection_status{k8s_version=\"test-agent\",name=\"prod\","
                            + "server=\""
                            + SERVER
                            + "\"} 1.0\n",
                        "argocd_cluster_info{k8s_version=\"test-agent\",name=\"prod\",server=\""
                            + SERVER
                            + "\"} 1\n",
                        "flotilla_applications{health_status=\"Healthy\",sync_status=\"Synced\"}"
                            + " 1.0\n",
                        "flotilla_agents_connected 1.0\n",
                        "flotilla_dispatch_pending_assignments 0.0\n",
                        "flotilla_drift_objects_open 0.0\n",
                        // Vert.x's and the JVM's meters share the page.
                        "vertx_http_server_",
                        "jvm_memory_used_bytes"));
  }

  @Test
  void onlyMetricsIsServed() throws Exception {
    HttpResponse<String> other = request("/api/v1/applications");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("/metrics");
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = request("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    return r.body();
  }

  private HttpResponse<String> request(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The agent's end of the stream, as the protocol defines it. */
  private final class Agent {
    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    private StreamObserver<AgentMessage> out;

    void connect() {
      out =
          AgentServiceGrpc.newStub(channel)
              .connect(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ControlMessage m) {
                      received.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      out.onNext(
          AgentMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setCluster(CLUSTER)
                      .setToken(token)
                      .setAgentVersion("test-agent"))
              .build());
    }

    void synced(Assignment a) {
      out.onNext(
          AgentMessage.newBuilder()
              .setAck(Ack.newBuilder().setApplication(a.getName()).setGeneration(a.getGeneration()))
              .build());
      long now = System.currentTimeMillis();
      out.onNext(
          AgentMessage.newBuilder()
              .setStatuses(
                  StatusBatch.newBuilder()
                      .addStatuses(
                          ApplicationStatus.newBuilder()
                              .setApplication(a.getName())
                              .setGeneration(a.getGeneration())
                              .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
                              .setHealth(HealthStatus.HEALTH_STATUS_HEALTHY)
                              .setRevision("0123456789012345678901234567890123456789")
                              .setLastSyncedAtUnixMs(now)
                              .setObservedAtUnixMs(now)
                              .setMessage("applied 1 object")))
              .build());
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
