package dev.flotilla.controlplane;

import static dev.flotilla.controlplane.ApplicationOperationApiIT.get;
import static dev.flotilla.controlplane.ApplicationOperationApiIT.json;
import static dev.flotilla.controlplane.ApplicationOperationApiIT.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.CommitInfo;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit, conditions and sync window of an Application as agents report them and REST and gRPC
 * show them, on a real database without agents.
 */
class ApplicationCommitApiIT {

  static final String SHA1 = "1111111111111111111111111111111111111111";
  static final String SHA2 = "2222222222222222222222222222222222222222";
  static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z

  @TempDir Path home;
  ControlPlane cp;
  ManagedChannel channel;
  final HttpClient http = HttpClient.newHttpClient();
  long observed;
  String admin;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.adminToken().value();
    JsonObject spec =
        new JsonObject()
            .put("source", new JsonObject().put("repoURL", "file:///nowhere").put("path", "x"))
            .put("destination", new JsonObject().put("namespace", "web"));
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ('web', 'default', 'east', $1, 1)")
            .execute(Tuple.of(new JsonObject().put("spec", spec))));
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  /** A status observed one second after the previous one. */
  ApplicationStatus.Builder status(String revision, boolean failed, String message) {
    return ApplicationStatus.newBuilder()
        .setApplication("web")
        .setGeneration(1)
        .setObservedAtUnixMs(T0 + ++observed * 1000)
        .setRevision(revision)
        .setSyncStatus(failed ? SyncStatus.SYNC_STATUS_UNKNOWN : SyncStatus.SYNC_STATUS_SYNCED)
        .setSyncFailed(failed)
        .setMessage(message);
  }

  void report(ApplicationStatus.Builder s) throws Exception {
    assertThat(get(cp.applications().recordStatus("east", s.build()))).isTrue();
  }

  JsonObject app() throws Exception {
    return json(send("GET", "/api/v1/applications/web", null), 200);
  }

  @Test
  void theCommitIsStoredAndShownAndKeptOnlyWhileTheRevisionStaysTheSame() throws Exception {
    report(
        status(SHA1, false, "applied 1 object")
            .setCommit(
                CommitInfo.newBuilder()
                    .setSha(SHA1)
                    .setAuthor("Ada Lovelace")
                    .setSubject("Scale web to 3")
                    .setCommittedAtUnixMs(T0 - 60_000)));

    JsonObject app = app();
    assertThat(app.getJsonObject("commit"))
        .isEqualTo(
            new JsonObject()
                .put("sha", SHA1)
                .put("author", "Ada Lovelace")
                .put("subject", "Scale web to 3")
                .put("date", "2026-01-01T09:59Z"));
    assertThat(app.getJsonArray("conditions")).isEmpty();
    assertThat(app.containsKey("syncWindow")).as("no window applies").isFalse();

    Application proto = grpc().get(ApplicationName.newBuilder().setName("web").build());
    assertThat(proto.getCommit().getSha()).isEqualTo(SHA1);
    assertThat(proto.getCommit().getAuthor()).isEqualTo("Ada Lovelace");
    assertThat(proto.getCommit().getSubject()).isEqualTo("Scale web to 3");
    assertThat(proto.getCommit().getCommittedAt().getSeconds()).isEqualTo((T0 - 60_000) / 1000);

    // Git unreachable: the agent knows no commit, but the revision is the same one.
    report(status(SHA1, true, "cannot fetch file:///nowhere: timed out"));
    report(status(SHA1, true, "cannot fetch file:///nowhere: timed out again"));
    app = app();
    assertThat(app.getJsonObject("commit").getString("sha")).isEqualTo(SHA1);
    assertThat(app.getJsonArray("conditions"))
        .as("failing since the first failed status")
        .containsExactly(
            new JsonObject()
                .put("type", "ComparisonError")
                .put("message", "cannot fetch file:///nowhere: timed out again")
                .put("lastTransitionTime", "2026-01-01T10:00:02Z"));

    // Another revision without a description: the old commit no longer describes it.
    report(status(SHA2, false, "applied 1 object"));
    app = app();
    assertThat(app.getValue("commit")).isNull();
    assertThat(app.getJsonArray("conditions")).isEmpty();
    assertThat(grpc().get(ApplicationName.newBuilder().setName("web").build()).hasCommit())
        .isFalse();
  }

  @Test
  void anActiveDenyWindowAndADispatchErrorAreShownWithTheApplication() throws Exception {
    ok(
        send(
            "PUT",
            "/api/v1/projects/default",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata:
              name: default
            spec:
              sourceRepos: ['*']
              destinations:
                - {name: '*', server: '*', namespace: '*'}
              syncWindows:
                - {kind: deny, schedule: '* * * * *', duration: 1h, namespaces: ['web'], manualSync: true}
                - {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['other']}
            """),
        200);
    get(
        cp.applications()
            .pool()
            .query("UPDATE applications SET dispatch_error = 'cluster ''east'' is not registered'")
            .execute());

    JsonObject app = app();
    JsonObject window = app.getJsonObject("syncWindow");
    assertThat(window.getString("kind")).isEqualTo("deny");
    assertThat(window.getBoolean("active")).isTrue();
    assertThat(window.getBoolean("autoSyncBlocked")).isTrue();
    assertThat(window.getBoolean("manualSyncAllowed")).isTrue();
    assertThat(window.getString("since")).isNotNull();
    assertThat(window.getString("message"))
        .startsWith("Sync denied by window deny '* * * * *' (1h), active since ")
        .endsWith("; manual sync is allowed");
    assertThat(app.getJsonArray("conditions"))
        .containsExactly(
            new JsonObject()
                .put("type", "InvalidSpecError")
                .put("message", "cluster 'east' is not registered")
                .putNull("lastTransitionTime"));
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + admin)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  ApplicationServiceGrpc.ApplicationServiceBlockingStub grpc() {
    return ApplicationServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(
            new CallCredentials() {
              @Override
              public void applyRequestMetadata(
                  RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + admin);
                applier.apply(m);
              }
            });
  }
}
