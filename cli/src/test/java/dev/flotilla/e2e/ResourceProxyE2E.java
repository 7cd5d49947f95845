package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.proto.api.v1.ApplicationLogsQuery;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.LogEntry;
import dev.flotilla.testkit.TestRepo;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource proxy end to end: a control plane with no cluster credentials shows an Application's
 * tree, manifests, diff and Pod logs read by the agent of a simulated cluster, over REST, gRPC and
 * the CLI; says so when that agent is away; checks RBAC before asking.
 */
class ResourceProxyE2E {

  static final String SECRET = "s3cr3t-do-not-show";

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write(
        "apps/web/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.27
        """);
    repo.write(
        "apps/web/config.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n");
    repo.write(
        "apps/web/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\ndata:\n  password: "
            + Base64.getEncoder().encodeToString(SECRET.getBytes())
            + "\n");
    repo.commit("web");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.apply(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: web
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: 'web-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/web
              destination:
                name: '{{cluster}}'
                namespace: web
              syncPolicy:
                automated:
                  prune: true
                syncOptions: [CreateNamespace=true]
        """
            .formatted(repo.url()));
    fleet.awaitSynced("web-east");
  }

  @AfterEach
  void tearDown() throws Exception {
    channels.forEach(io.grpc.ManagedChannel::shutdownNow);
    fleet.close();
    repo.close();
  }

  private final List<io.grpc.ManagedChannel> channels = new ArrayList<>();

  private ApplicationServiceGrpc.ApplicationServiceBlockingStub stub() {
    io.grpc.ManagedChannel channel = fleet.grpcChannel();
    channels.add(channel);
    return ApplicationServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(Fleet.bearer(fleet.controlPlane().adminToken().value()));
  }

  private CliRunner.Run cli(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  @Test
  void resourcesShowTheDeploymentsReplicaSetAndPods() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              CliRunner.Run tree = cli("app", "resources", "web-east");
              assertThat(tree.exitCode()).as(tree.err()).isZero();
              assertThat(tree.out())
                  .contains("apps/Deployment", "└─apps/ReplicaSet", "Pod", "Healthy", "Synced");
              assertThat(tree.out().lines().filter(l -> l.contains("─Pod")).count()).isEqualTo(2);
            });
    CliRunner.Run json = cli("app", "resources", "web-east", "-o", "json");
    JsonObject tree = new JsonObject(json.out());
    assertThat(tree.getJsonArray("nodes").size()).isGreaterThanOrEqualTo(6);

    var stub = stub();
    var grpcTree = stub.resourceTree(ApplicationName.newBuilder().setName("web-east").build());
    assertThat(grpcTree.getNodesList()).anyMatch(n -> n.getKind().equals("ReplicaSet"));
  }

  @Test
  void liveManifestsComeFromTheClusterWithSecretsMasked() {
    CliRunner.Run live = cli("app", "manifests", "web-east", "--source", "live");
    assertThat(live.exitCode()).as(live.err()).isZero();
    assertThat(live.out())
        .contains("kind: Deployment", "kind: ConfigMap", "password: ++++++++", "uid:")
        .doesNotContain(SECRET)
        .doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes()));

    CliRunner.Run git = cli("app", "manifests", "web-east");
    assertThat(git.exitCode()).as(git.err()).isZero();
    assertThat(git.out()).contains("greeting: hello").doesNotContain("uid:");

    CliRunner.Run bad = cli("app", "manifests", "web-east", "--source", "cache");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("source: must be git or live, found 'cache'");
  }

  @Test
  void aManualEditMakesDiffExitOneAndShowTheFieldUntilASync() throws Exception {
    CliRunner.Run clean = cli("app", "diff", "web-east");
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).isEmpty();

    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("web")
        .withName("web-config")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "edited by hand").build());

    CliRunner.Run drifted = cli("app", "diff", "web-east");
    assertThat(drifted.exitCode()).as(drifted.err()).isEqualTo(1);
    assertThat(drifted.out())
        .contains("===== ConfigMap web/web-config ======")
        .contains("-  greeting: edited by hand", "+  greeting: hello")
        .doesNotContain("Deployment");

    HttpResponse<String> sync = fleet.rest("POST", "/api/v1/applications/web-east/sync", "");
    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(cli("app", "diff", "web-east").exitCode()).isZero());

    CliRunner.Run missing = cli("app", "diff", "nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("not found");
  }

  @Test
  void logsPrintThePodsLinesOverTheCliAndGrpc() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              CliRunner.Run logs =
                  cli(
                      "app",
                      "logs",
                      "web-east",
                      "--kind",
                      "Deployment",
                      "--name",
                      "web",
                      "--tail",
                      "2");
              assertThat(logs.exitCode()).as(logs.err()).isZero();
              assertThat(logs.out().lines().count()).isBetween(1L, 4L);
            });
    var stub = stub();
    List<LogEntry> entries = new ArrayList<>();
    stub.podLogs(
            ApplicationLogsQuery.newBuilder()
                .setName("web-east")
                .setGroup("apps")
                .setKind("Deployment")
                .setNamespace("web")
                .setResourceName("web")
                .setTailLines(1)
                .build())
        .forEachRemaining(entries::add);
    assertThat(entries).isNotEmpty().allSatisfy(e -> assertThat(e.getPod()).startsWith("web-"));

    CliRunner.Run foreign = cli("app", "logs", "web-east", "--kind", "Pod", "--name", "kube-dns");
    assertThat(foreign.exitCode()).isEqualTo(1);
    assertThat(foreign.err()).contains("is not an object of application 'web-east'");
  }

  @Test
  void logsNeedTheirOwnPermissionCheckedBeforeTheAgentIsAsked() throws Exception {
    assertThat(fleet.rest("POST", "/api/v1/users", "{\"name\":\"viewer\"}").statusCode())
        .isEqualTo(201);
    // Added to the policy in force (which grants the admin token its rights).
    String before =
        new JsonObject(fleet.rest("GET", "/api/v1/policy", null).body()).getString("policy", "");
    HttpResponse<String> policy =
        fleet.rest(
            "PUT",
            "/api/v1/policy",
            new JsonObject()
                .put("policy", before + "\np, viewer, applications, get, */*, allow\n")
                .encode());
    assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
    HttpResponse<String> token =
        fleet.rest("POST", "/api/v1/tokens", "{\"user\":\"viewer\",\"description\":\"t\"}");
    assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
    String viewer = new JsonObject(token.body()).getString("token");
    String api = "http://127.0.0.1:" + fleet.controlPlane().httpPort();

    CliRunner.Run diff = CliRunner.runAgainst(api, viewer, "app", "diff", "web-east");
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    CliRunner.Run logs =
        CliRunner.runAgainst(
            api, viewer, "app", "logs", "web-east", "--kind", "Deployment", "--name", "web");
    assertThat(logs.exitCode()).isEqualTo(1);
    assertThat(logs.err()).contains("permission denied", "logs");
  }

  @Test
  void anAgentAwayIsSaidAsSuch() {
    fleet.stopAgent("east");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> r =
                  fleet.rest("GET", "/api/v1/applications/web-east/manifests?source=live", null);
              assertThat(r.statusCode()).isEqualTo(503);
              assertThat(r.body()).contains("the agent of cluster 'east' is not connected");
            });
    var stub = stub();
    try {
      stub.diff(ApplicationName.newBuilder().setName("web-east").build());
      throw new AssertionError("expected UNAVAILABLE");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("not connected");
    }
  }
}
