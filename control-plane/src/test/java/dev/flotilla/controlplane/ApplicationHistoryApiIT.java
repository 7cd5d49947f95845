package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.api.v1.ApplicationHistory;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.DeploymentOperation;
import dev.flotilla.proto.api.v1.RollbackApplicationRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History and rollback over REST and gRPC: what is answered, and every refusal, on a real database
 * without agents (so a valid rollback ends at "agent not connected").
 */
class ApplicationHistoryApiIT {

  private static final String SHA1 = "1111111111111111111111111111111111111111";
  private static final String SHA2 = "2222222222222222222222222222222222222222";

  @TempDir Path home;
  private ControlPlane cp;
  private ManagedChannel channel;
  private ApplicationServiceGrpc.ApplicationServiceBlockingStub grpc;
  private final HttpClient http = HttpClient.newHttpClient();
  private long generation;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    String token = cp.adminToken().value();
    grpc =
        ApplicationServiceGrpc.newBlockingStub(channel)
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

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** An Application on cluster east (whose agent never connects), deployed at {@code shas}. */
  private void app(String name, boolean automated, String... shas) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("source", new JsonObject().put("repoURL", "file:///nowhere").put("path", "x"));
    if (automated) {
      spec.put("syncPolicy", new JsonObject().put("automated", new JsonObject()));
    }
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ($1, 'default', 'east', $2, 1)")
            .execute(Tuple.of(name, new JsonObject().put("spec", spec))));
    for (String sha : shas) {
      get(
          cp.applications()
              .recordStatus(
                  "east",
                  ApplicationStatus.newBuilder()
                      .setApplication(name)
                      .setGeneration(++generation)
                      .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
                      .setRevision(sha)
                      .build()));
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + cp.adminToken().value())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> rollback(String name, String body) throws Exception {
    return send("POST", "/api/v1/applications/" + name + "/rollback", body);
  }

  private static void assertCode(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  @Test
  void historyIsListedOldestFirstOverRestAndGrpc() throws Exception {
    app("web", false, SHA1, SHA2);
    HttpResponse<String> r = send("GET", "/api/v1/applications/web/history", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("name")).isEqualTo("web");
    assertThat(body.getJsonArray("items")).hasSize(2);
    JsonObject first = body.getJsonArray("items").getJsonObject(0);
    assertThat(first.getString("revision")).isEqualTo(SHA1);
    assertThat(first.getString("operation")).isEqualTo("automated");
    assertThat(first.getString("initiatedBy")).isEqualTo("system:flotilla");
    assertThat(first.getString("deployedAt")).isNotBlank();

    ApplicationHistory h = grpc.history(ApplicationName.newBuilder().setName("web").build());
    assertThat(h.getEntriesList()).extracting(e -> e.getRevision()).containsExactly(SHA1, SHA2);
    assertThat(h.getEntries(0).getOperation())
        .isEqualTo(DeploymentOperation.DEPLOYMENT_OPERATION_AUTOMATED);
    assertThat(h.getEntries(0).getId()).isEqualTo(first.getLong("id"));
    assertThat(h.getEntries(0).getPath()).isEqualTo("x");
  }

  @Test
  void anUnknownApplicationIsNotFound() throws Exception {
    HttpResponse<String> history = send("GET", "/api/v1/applications/nope/history", null);
    assertThat(history.statusCode()).isEqualTo(404);
    assertThat(history.body()).contains("application 'nope' not found");
    HttpResponse<String> rollback = rollback("nope", "{\"id\": 1}");
    assertThat(rollback.statusCode()).isEqualTo(404);
    assertThat(rollback("nope", null).statusCode()).isEqualTo(404);

    assertCode(
        () -> grpc.history(ApplicationName.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "application 'nope' not found");
    assertCode(
        () -> grpc.rollback(RollbackApplicationRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "application 'nope' not found");
  }

  @Test
  void badRollbackRequestsNameTheField() throws Exception {
    app("web", false, SHA1, SHA2);
    HttpResponse<String> malformed = rollback("web", "{\"id\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("not a JSON object");
    assertThat(rollback("web", "[1]").statusCode()).isEqualTo(400);

    HttpResponse<String> notANumber = rollback("web", "{\"id\": \"three\"}");
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(notANumber.body()).contains("id: must be a positive integer");
    assertThat(rollback("web", "{\"id\": 1.5}").statusCode()).isEqualTo(400);
    assertThat(rollback("web", "{\"revision\": 42}").body()).contains("revision: must be a string");
    assertThat(rollback("web", "{\"id\": 1, \"revision\": \"" + SHA1 + "\"}").body())
        .contains("either id or revision");

    HttpResponse<String> unknownId = rollback("web", "{\"id\": 999999}");
    assertThat(unknownId.statusCode()).isEqualTo(400);
    assertThat(unknownId.body()).contains("id: application 'web' has no history entry 999999");
    HttpResponse<String> unknownRevision = rollback("web", "{\"revision\": \"abcdef0123\"}");
    assertThat(unknownRevision.statusCode()).isEqualTo(400);
    assertThat(unknownRevision.body()).contains("revision: 'abcdef0123' is not in the deployment");
    assertThat(rollback("web", "{\"revision\": \"111\"}").body()).contains("at least 7");

    assertCode(
        () ->
            grpc.rollback(
                RollbackApplicationRequest.newBuilder().setName("web").setId(999999).build()),
        Status.Code.INVALID_ARGUMENT,
        "id: application 'web' has no history entry 999999");
    assertCode(
        () ->
            grpc.rollback(RollbackApplicationRequest.newBuilder().setName("web").setId(-1).build()),
        Status.Code.INVALID_ARGUMENT,
        "id:");
    assertCode(
        () ->
            grpc.rollback(
                RollbackApplicationRequest.newBuilder().setName("web").setRevision("").build()),
        Status.Code.INVALID_ARGUMENT,
        "revision:");
  }

  @Test
  void rollbackIsRefusedWhileAutomatedOrWithNothingToGoBackTo() throws Exception {
    app("auto", true, SHA1, SHA2);
    app("fresh", false);
    app("once", false, SHA1);

    HttpResponse<String> automated = rollback("auto", "{\"id\": 1}");
    assertThat(automated.statusCode()).isEqualTo(409);
    assertThat(automated.body()).contains("automated sync");
    assertCode(
        () -> grpc.rollback(RollbackApplicationRequest.newBuilder().setName("auto").build()),
        Status.Code.FAILED_PRECONDITION,
        "automated sync");

    HttpResponse<String> empty = rollback("fresh", null);
    assertThat(empty.statusCode()).isEqualTo(409);
    assertThat(empty.body()).contains("no deployment history");
    assertCode(
        () -> grpc.rollback(RollbackApplicationRequest.newBuilder().setName("fresh").build()),
        Status.Code.FAILED_PRECONDITION,
        "no deployment history");

    HttpResponse<String> single = rollback("once", "");
    assertThat(single.statusCode()).isEqualTo(409);
    assertThat(single.body()).contains("only one deployment");
  }

  @Test
  void aValidRollbackWithoutAConnectedAgentIsUnavailableAndLeavesNothingPending() throws Exception {
    app("web", false, SHA1, SHA2);
    HttpResponse<String> r = rollback("web", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.body()).contains("not connected");
    assertCode(
        () ->
            grpc.rollback(
                RollbackApplicationRequest.newBuilder()
                    .setName("web")
                    .setRevision(SHA1.substring(0, 7))
                    .build()),
        Status.Code.UNAVAILABLE,
        "not connected");
    long pending =
        get(cp.applications().pool().query("SELECT count(*) FROM application_operations").execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(pending).isZero();
  }
}
