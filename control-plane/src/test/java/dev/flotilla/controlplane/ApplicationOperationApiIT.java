package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.OperationState;
import dev.flotilla.proto.agent.v1.ResourceResult;
import dev.flotilla.proto.agent.v1.ResourceResultStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationOperations;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync operation state agents report, as stored and shown over REST and gRPC, its log, and
 * terminate-op's permission and refusals, on a real database without agents.
 */
class ApplicationOperationApiIT {

  static final String SHA1 = "1111111111111111111111111111111111111111";
  static final String SHA2 = "2222222222222222222222222222222222222222";
  static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z

  @TempDir Path home;
  ControlPlane cp;
  ManagedChannel channel;
  final HttpClient http = HttpClient.newHttpClient();
  long generation;
  String admin;
  String viewer;
  String operator;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.adminToken().value();
    for (String user : new String[] {"viewer", "operator"}) {
      ok(send(admin, "POST", "/api/v1/users", new JsonObject().put("name", user).encode()), 201);
    }
    String policy =
        "g, admin, role:admin\n"
            + "p, viewer, applications, get, default/*, allow\n"
            + "p, operator, applications, get, default/*, allow\n"
            + "p, operator, applications, sync, default/*, allow\n";
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", policy).encode()), 200);
    viewer = token("viewer");
    operator = token("operator");
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ('web', 'default', 'east', $1, 1)")
            .execute(
                Tuple.of(
                    new JsonObject()
                        .put(
                            "spec",
                            new JsonObject()
                                .put(
                                    "source",
                                    new JsonObject()
                                        .put("repoURL", "file:///nowhere")
                                        .put("path", "x"))))));
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static OperationState.Builder op(String id, OperationPhase phase, String message, long start) {
    return OperationState.newBuilder()
        .setId(id)
        .setPhase(phase)
        .setMessage(message)
        .setRevision(SHA2)
        .setAutomated(true)
        .setStartedAtUnixMs(start);
  }

  void report(SyncStatus sync, String revision, String deployed, OperationState.Builder op)
      throws Exception {
    ApplicationStatus.Builder s =
        ApplicationStatus.newBuilder()
            .setApplication("web")
            .setGeneration(1)
            .setObservedAtUnixMs(T0 + ++generation * 1000)
            .setSyncStatus(sync)
            .setRevision(revision)
            .setDeployedRevision(deployed);
    if (op != null) {
      s.setOperationState(op);
    }
    assertThat(get(cp.applications().recordStatus("east", s.build()))).isTrue();
  }

  @Test
  void theOperationStateIsStoredShownAndEveryOperationIsLogged() throws Exception {
    report(
        SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
        SHA2,
        SHA1,
        op(
                "op-1",
                OperationPhase.OPERATION_PHASE_RUNNING,
                "retrying in 40 s, attempt 3 of 5: x",
                T0)
            .setRetryCount(3)
            .setNextAttemptAtUnixMs(T0 + 40_000));

    JsonObject app = json(send(viewer, "GET", "/api/v1/applications/web", null), 200);
    JsonObject running = app.getJsonObject("operationState");
    assertThat(running.getString("phase")).isEqualTo("Running");
    assertThat(running.getString("message")).isEqualTo("retrying in 40 s, attempt 3 of 5: x");
    assertThat(running.getString("startedAt")).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(running.getString("nextAttemptAt")).isEqualTo("2026-01-01T10:00:40Z");
    assertThat(running.getInteger("retryCount")).isEqualTo(3);
    assertThat(running.getString("initiatedBy")).isEqualTo("automated");
    assertThat(app.getString("revision")).isEqualTo(SHA2);
    assertThat(app.getString("deployedRevision"))
        .as("what runs, not what is synced")
        .isEqualTo(SHA1);

    report(
        SyncStatus.SYNC_STATUS_SYNCED,
        SHA2,
        SHA2,
        op("op-1", OperationPhase.OPERATION_PHASE_SUCCEEDED, "applied 1 objects (created 1)", T0)
            .setFinishedAtUnixMs(T0 + 60_000)
            .addResources(
                ResourceResult.newBuilder()
                    .setGroup("apps")
                    .setKind("Deployment")
                    .setNamespace("shop")
                    .setName("web")
                    .setStatus(ResourceResultStatus.RESOURCE_RESULT_STATUS_SYNCED)
                    .setMessage("created")));
    // An operation whose end was never reported is closed by the next one.
    report(
        SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
        SHA2,
        "",
        op(
            "op-2",
            OperationPhase.OPERATION_PHASE_RUNNING,
            "waiting for healthy state",
            T0 + 70_000));
    get(cp.applications().history().requestOperation("web", "sync", "", "operator", null));
    report(
        SyncStatus.SYNC_STATUS_SYNCED,
        SHA2,
        "",
        op(
                "op-3",
                OperationPhase.OPERATION_PHASE_SUCCEEDED,
                "applied 1 objects (unchanged 1)",
                T0 + 80_000)
            .setAutomated(false)
            .setFinishedAtUnixMs(T0 + 81_000));
    // A comparison without an operation keeps the last one and what is deployed.
    report(SyncStatus.SYNC_STATUS_SYNCED, SHA2, "", null);

    JsonObject after = json(send(viewer, "GET", "/api/v1/applications/web", null), 200);
    assertThat(after.getJsonObject("operationState").getString("id")).isEqualTo("op-3");
    assertThat(after.getJsonObject("operationState").getString("initiatedBy"))
        .isEqualTo("operator");
    assertThat(after.getString("deployedRevision")).isEqualTo(SHA2);

    JsonArray log =
        json(send(viewer, "GET", "/api/v1/applications/web/operations", null), 200)
            .getJsonArray("items");
    assertThat(log.stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly("op-3", "op-2", "op-1");
    JsonObject op2 = log.getJsonObject(1);
    assertThat(op2.getString("phase")).isEqualTo("Failed");
    assertThat(op2.getString("message"))
        .isEqualTo("superseded by a newer operation (was: waiting for healthy state)");
    assertThat(op2.getString("finishedAt")).isEqualTo("2026-01-01T10:01:20Z");
    JsonObject op1 = log.getJsonObject(2);
    assertThat(op1.getString("phase")).isEqualTo("Succeeded");
    assertThat(op1.getString("finishedAt")).isEqualTo("2026-01-01T10:01:00Z");
    assertThat(op1.getJsonArray("resources").getJsonObject(0).getString("status"))
        .isEqualTo("Synced");

    ApplicationServiceGrpc.ApplicationServiceBlockingStub grpc = grpc(viewer);
    Application proto = grpc.get(ApplicationName.newBuilder().setName("web").build());
    assertThat(proto.getOperationState().getPhase()).isEqualTo("Succeeded");
    assertThat(proto.getOperationState().getStartedAt().getSeconds()).isEqualTo(T0 / 1000 + 80);
    assertThat(proto.getDeployedRevision()).isEqualTo(SHA2);
    ApplicationOperations ops =
        grpc.operations(ApplicationName.newBuilder().setName("web").build());
    assertThat(ops.getOperationsList())
        .extracting(o -> o.getPhase())
        .containsExactly("Succeeded", "Failed", "Succeeded");
  }

  @Test
  void terminateOpNeedsSyncPermissionARunningOperationAndAConnectedAgent() throws Exception {
    report(
        SyncStatus.SYNC_STATUS_SYNCED,
        SHA1,
        SHA1,
        op("op-1", OperationPhase.OPERATION_PHASE_SUCCEEDED, "done", T0));

    HttpResponse<String> none =
        send(operator, "DELETE", "/api/v1/applications/web/operation", null);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(409);
    assertThat(none.body())
        .contains("application 'web' has no sync operation running (the last one Succeeded)");

    report(
        SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
        SHA2,
        SHA1,
        op("op-2", OperationPhase.OPERATION_PHASE_RUNNING, "waiting for healthy state", T0 + 1000));

    HttpResponse<String> forbidden =
        send(viewer, "DELETE", "/api/v1/applications/web/operation", null);
    assertThat(forbidden.statusCode()).as(forbidden.body()).isEqualTo(403);
    assertGrpc(
        () -> grpc(viewer).terminateOperation(ApplicationName.newBuilder().setName("web").build()),
        Status.Code.PERMISSION_DENIED,
        "sync");

    HttpResponse<String> away =
        send(operator, "DELETE", "/api/v1/applications/web/operation", null);
    assertThat(away.statusCode()).as(away.body()).isEqualTo(503);
    assertThat(away.body()).contains("the agent of cluster 'east' is not connected");
    assertGrpc(
        () ->
            grpc(operator).terminateOperation(ApplicationName.newBuilder().setName("web").build()),
        Status.Code.UNAVAILABLE,
        "not connected");

    // What the service does once the agent is told: the operation shows Terminating until the
    // agent reports its end.
    assertThat(get(cp.applications().operations().markTerminating("web"))).contains("op-2");
    JsonObject app = json(send(viewer, "GET", "/api/v1/applications/web", null), 200);
    assertThat(app.getJsonObject("operationState").getString("phase")).isEqualTo("Terminating");
    assertThat(
            json(send(viewer, "GET", "/api/v1/applications/web/operations", null), 200)
                .getJsonArray("items")
                .getJsonObject(0)
                .getString("phase"))
        .isEqualTo("Terminating");

    JsonArray audit =
        json(send(admin, "GET", "/api/v1/audit?limit=50", null), 200).getJsonArray("items");
    assertThat(audit.encode()).contains("\"terminate\"").contains("operator").contains("viewer");
  }

  void assertGrpc(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      Status.Code code,
      String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  ApplicationServiceGrpc.ApplicationServiceBlockingStub grpc(String token) {
    return ApplicationServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(
            new CallCredentials() {
              @Override
              public void applyRequestMetadata(
                  RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + token);
                applier.apply(m);
              }
            });
  }

  String token(String user) throws Exception {
    HttpResponse<String> r =
        send(
            admin,
            "POST",
            "/api/v1/tokens",
            new JsonObject().put("user", user).put("description", "test").encode());
    return json(r, 201).getString("token");
  }

  static JsonObject json(HttpResponse<String> r, int status) {
    ok(r, status);
    return new JsonObject(r.body());
  }

  static void ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  HttpResponse<String> send(String token, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
