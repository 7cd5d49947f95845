package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyApplicationResponse;
import dev.flotilla.proto.api.v1.CreateApplicationRequest;
import dev.flotilla.proto.api.v1.DeleteApplicationRequest;
import dev.flotilla.proto.api.v1.PatchApplicationRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
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
 * Applications from Argo CD manifests over REST and gRPC on a real database, without agents:
 * create/apply/patch/delete, 409, validation, RBAC, AppProject refusals, ApplicationSet ownership,
 * the in-cluster destination and the cascade rule.
 */
class ApplicationManifestApiIT {

  static final String GUESTBOOK =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: guestbook
        namespace: argocd
      spec:
        project: default
        source:
          repoURL: file:///nowhere/apps.git
          targetRevision: HEAD
          path: guestbook
        destination:
          server: https://kubernetes.default.svc
          namespace: guestbook
      """;

  static final String TEAM_PROJECT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata:
        name: team-a
      spec:
        sourceRepos:
          - file:///nowhere/*
        destinations:
          - server: '*'
            namespace: team-a
      """;

  @TempDir Path home;
  ControlPlane cp;
  ManagedChannel channel;
  final HttpClient http = HttpClient.newHttpClient();
  String admin;
  String dev;
  String viewer;
  String creator;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.adminToken().value();
    for (String user : new String[] {"dev", "viewer", "creator"}) {
      ok(send(admin, "POST", "/api/v1/users", new JsonObject().put("name", user).encode()), 201);
    }
    String policy =
        "g, admin, role:admin\n"
            + "p, dev, applications, get, team-a/*, allow\n"
            + "p, dev, applications, create, team-a/*, allow\n"
            + "p, dev, applications, update, team-a/*, allow\n"
            + "p, viewer, applications, get, */*, allow\n"
            + "p, creator, applications, get, */*, allow\n"
            + "p, creator, applications, create, */*, allow\n";
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", policy).encode()), 200);
    dev = token("dev");
    viewer = token("viewer");
    creator = token("creator");
    ok(send(admin, "POST", "/api/v1/projects", TEAM_PROJECT), 200);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  @Test
  void createIsIdempotentConflictsWhenDifferentAndUpsertReplaces() throws Exception {
    JsonObject created = json(send(admin, "POST", "/api/v1/applications", GUESTBOOK), 201);
    assertThat(created.getString("result")).isEqualTo("created");
    assertThat(created.getString("dispatchError"))
        .contains("'https://kubernetes.default.svc' is not registered")
        .contains("registered as 'in-cluster'");
    JsonObject row = row("guestbook");
    assertThat(row.getString("application_set")).isNull();
    assertThat(row.getBoolean("delete_resources_on_removal")).isFalse();

    assertThat(
            json(send(admin, "POST", "/api/v1/applications", GUESTBOOK), 200).getString("result"))
        .isEqualTo("unchanged");
    // Creating the same again needs only create (a creator may not update).
    assertThat(
            json(send(creator, "POST", "/api/v1/applications", GUESTBOOK), 200).getString("result"))
        .isEqualTo("unchanged");
    ok(
        send(
            creator,
            "POST",
            "/api/v1/applications?upsert=true",
            GUESTBOOK.replace("path: guestbook", "path: other")),
        403);

    String changed = GUESTBOOK.replace("path: guestbook", "path: guestbook-v2");
    HttpResponse<String> conflict = send(admin, "POST", "/api/v1/applications", changed);
    ok(conflict, 409);
    assertThat(error(conflict)).contains("already exists").contains("--upsert");
    assertThat(row("guestbook").getJsonObject("document").encode()).contains("\"guestbook\"");

    JsonObject upserted =
        json(send(admin, "POST", "/api/v1/applications?upsert=true", changed), 200);
    assertThat(upserted.getString("result")).isEqualTo("configured");
    assertThat(row("guestbook").getJsonObject("document").encode()).contains("guestbook-v2");
    assertThat(
            json(send(admin, "PUT", "/api/v1/applications/guestbook", changed), 200)
                .getString("result"))
        .isEqualTo("unchanged");
  }

  @Test
  void theInClusterServerMeansTheClusterRegisteredAsInCluster() throws Exception {
    ok(
        send(
            admin,
            "POST",
            "/api/v1/clusters",
            new JsonObject()
                .put("name", "in-cluster")
                .put("server", "https://10.0.0.1:6443")
                .encode()),
        201);
    JsonObject created = json(send(admin, "POST", "/api/v1/applications", GUESTBOOK), 201);
    assertThat(created.getString("cluster")).isEqualTo("in-cluster");
    assertThat(created.getString("dispatchError")).isNull();
  }

  @Test
  void anInvalidManifestIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
    ok(send(admin, "POST", "/api/v1/applications", GUESTBOOK), 201);
    long generation = row("guestbook").getLong("generation");
    HttpResponse<String> bad =
        send(
            admin,
            "PUT",
            "/api/v1/applications/guestbook",
            GUESTBOOK.replace("path: guestbook", "pth: guestbook"));
    ok(bad, 400);
    assertThat(error(bad)).contains("spec.source.pth: unknown field").contains("'path'");
    HttpResponse<String> wrongName =
        send(
            admin,
            "PUT",
            "/api/v1/applications/other",
            GUESTBOOK.replace("path: guestbook", "path: x"));
    ok(wrongName, 400);
    assertThat(error(wrongName)).contains("does not match the URL");
    HttpResponse<String> badName =
        send(
            admin,
            "POST",
            "/api/v1/applications",
            GUESTBOOK.replace("name: guestbook", "name: Guest_Book"));
    ok(badName, 400);
    assertThat(error(badName)).contains("metadata.name");
    assertThat(row("guestbook").getLong("generation")).isEqualTo(generation);
    assertThat(row("guestbook").getJsonObject("document").encode()).doesNotContain("pth");
  }

  @Test
  void rbacAndTheAppProjectDecide() throws Exception {
    String teamApp =
        GUESTBOOK
            .replace("project: default", "project: team-a")
            .replace("namespace: guestbook", "namespace: team-a");
    // dev may create in team-a, not in default.
    HttpResponse<String> forbidden = send(dev, "POST", "/api/v1/applications", GUESTBOOK);
    ok(forbidden, 403);
    assertThat(error(forbidden)).contains("may not create applications 'default/guestbook'");
    ok(send(dev, "POST", "/api/v1/applications", teamApp), 201);
    // The project refuses a namespace it does not list: nothing stored.
    HttpResponse<String> refused =
        send(
            dev,
            "PUT",
            "/api/v1/applications/guestbook",
            teamApp.replace("namespace: team-a", "namespace: kube-system"));
    ok(refused, 400);
    assertThat(error(refused)).contains("project 'team-a'");
    assertThat(row("guestbook").getJsonObject("document").encode()).doesNotContain("kube-system");
    // Moving it to a project dev may not write to needs update there too.
    HttpResponse<String> move = send(dev, "PUT", "/api/v1/applications/guestbook", GUESTBOOK);
    ok(move, 403);
    // dev has no delete; a viewer has neither.
    ok(send(dev, "DELETE", "/api/v1/applications/guestbook", null), 403);
    ok(send(viewer, "DELETE", "/api/v1/applications/guestbook", null), 403);
    ok(send(viewer, "PATCH", "/api/v1/applications/guestbook", "{\"spec\":{}}"), 403);
    assertThat(row("guestbook")).isNotNull();
    // The attempts are in the audit log.
    JsonArray audit =
        json(send(admin, "GET", "/api/v1/audit?limit=50", null), 200).getJsonArray("items");
    assertThat(audit.encode()).contains("team-a/guestbook").contains("\"deny\"");
  }

  @Test
  void anApplicationOwnedByAnApplicationSetCannotBeChangedByHand() throws Exception {
    get(
        cp.applications()
            .pool()
            .query("INSERT INTO application_sets (name, document) VALUES ('guestbook-set', '{}')")
            .execute());
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO applications (name, application_set, project, cluster, document,"
                    + " generation) VALUES ('guestbook', 'guestbook-set', 'default', NULL, $1, 1)")
            .execute(Tuple.of(new JsonObject().put("spec", new JsonObject()))));
    for (HttpResponse<String> r :
        new HttpResponse[] {
          send(admin, "POST", "/api/v1/applications?upsert=true", GUESTBOOK),
          send(admin, "PUT", "/api/v1/applications/guestbook", GUESTBOOK),
          send(admin, "PATCH", "/api/v1/applications/guestbook", "{\"spec\":{\"project\":\"x\"}}"),
          send(admin, "DELETE", "/api/v1/applications/guestbook", null)
        }) {
      ok(r, 409);
      assertThat(error(r))
          .contains("managed by ApplicationSet 'guestbook-set'")
          .contains("change the ApplicationSet instead");
    }
    assertThat(row("guestbook").getString("application_set")).isEqualTo("guestbook-set");
  }

  @Test
  void patchMergesIntoTheManifest() throws Exception {
    ok(send(admin, "POST", "/api/v1/applications", GUESTBOOK), 201);
    JsonObject patched =
        json(
            send(
                admin,
                "PATCH",
                "/api/v1/applications/guestbook",
                "{\"spec\":{\"source\":{\"path\":\"v2\"},\"syncPolicy\":{\"automated\":"
                    + "{\"prune\":true}}}}"),
            200);
    assertThat(patched.getString("result")).isEqualTo("configured");
    JsonObject spec = row("guestbook").getJsonObject("document").getJsonObject("spec");
    assertThat(spec.getJsonObject("source").getString("path")).isEqualTo("v2");
    assertThat(spec.getJsonObject("source").getString("repoURL"))
        .isEqualTo("file:///nowhere/apps.git");
    assertThat(spec.getJsonObject("syncPolicy").getJsonObject("automated").getBoolean("prune"))
        .isTrue();
    HttpResponse<String> bad =
        send(
            admin,
            "PATCH",
            "/api/v1/applications/guestbook",
            "{\"spec\":{\"source\":{\"path\":1}}}");
    ok(bad, 400);
    assertThat(error(bad)).contains("spec.source.path: must be a string");
    ok(send(admin, "PATCH", "/api/v1/applications/nope", "{\"spec\":{}}"), 404);
  }

  @Test
  void deleteCascadesByDefaultAndRefusesAChangeItsAgentCannotHear() throws Exception {
    ok(
        send(
            admin, "POST", "/api/v1/clusters", new JsonObject().put("name", "in-cluster").encode()),
        201);
    String withFinalizer =
        GUESTBOOK.replace(
            "  namespace: argocd\n",
            "  namespace: argocd\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n");
    ok(
        send(
            admin,
            "POST",
            "/api/v1/applications",
            withFinalizer.replace(
                "https://kubernetes.default.svc", "https://in-cluster.cluster.invalid")),
        201);
    assertThat(row("guestbook").getBoolean("delete_resources_on_removal")).isTrue();
    // Without cascade the agent must be told to keep the resources first; it is not connected.
    HttpResponse<String> away =
        send(admin, "DELETE", "/api/v1/applications/guestbook?cascade=false", null);
    ok(away, 503);
    assertThat(error(away)).contains("is not connected").contains("without cascade");
    assertThat(row("guestbook")).isNotNull();
    ok(send(admin, "DELETE", "/api/v1/applications/guestbook?cascade=maybe", null), 400);
    // With cascade (the default), as its finalizer says: no need to reach the agent first.
    JsonObject deleted = json(send(admin, "DELETE", "/api/v1/applications/guestbook", null), 200);
    assertThat(deleted.getBoolean("deleted")).isTrue();
    assertThat(row("guestbook")).isNull();
    ok(send(admin, "DELETE", "/api/v1/applications/guestbook", null), 404);
    ok(send(admin, "GET", "/api/v1/applications/guestbook", null), 404);
  }

  @Test
  void grpcCreatesPatchesAndDeletes() throws Exception {
    var stub = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(admin));
    ApplyApplicationResponse created =
        stub.create(CreateApplicationRequest.newBuilder().setDocument(GUESTBOOK).build());
    assertThat(created.getResult()).isEqualTo("created");
    assertThat(created.getProject()).isEqualTo("default");
    String changed = GUESTBOOK.replace("path: guestbook", "path: v2");
    assertThatThrownBy(
            () -> stub.create(CreateApplicationRequest.newBuilder().setDocument(changed).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    assertThatThrownBy(
            () ->
                stub.create(
                    CreateApplicationRequest.newBuilder()
                        .setDocument(GUESTBOOK.replace("kind: Application", "kind: Thing"))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("kind: must be Application");
            });
    assertThat(
            stub.patch(
                    PatchApplicationRequest.newBuilder()
                        .setName("guestbook")
                        .setMergePatchJson("{\"spec\":{\"source\":{\"path\":\"v3\"}}}")
                        .build())
                .getResult())
        .isEqualTo("configured");
    var devStub = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(dev));
    assertThatThrownBy(
            () ->
                devStub.delete(DeleteApplicationRequest.newBuilder().setName("guestbook").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    stub.delete(
        DeleteApplicationRequest.newBuilder().setName("guestbook").setCascade(false).build());
    assertThat(row("guestbook")).isNull();
  }

  // --- helpers ---

  JsonObject row(String name) throws Exception {
    var rows =
        get(
            cp.applications()
                .pool()
                .preparedQuery("SELECT * FROM applications WHERE name = $1")
                .execute(Tuple.of(name)));
    if (rows.size() == 0) {
      return null;
    }
    Row r = rows.iterator().next();
    return new JsonObject()
        .put("application_set", r.getString("application_set"))
        .put("document", r.getValue("document"))
        .put("generation", r.getLong("generation"))
        .put("delete_resources_on_removal", r.getBoolean("delete_resources_on_removal"));
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier out) {
        Metadata m = new Metadata();
        m.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        out.apply(m);
      }
    };
  }

  String token(String user) throws Exception {
    return json(
            send(
                admin,
                "POST",
                "/api/v1/tokens",
                new JsonObject().put("user", user).put("description", "test").encode()),
            201)
        .getString("token");
  }

  static JsonObject json(HttpResponse<String> r, int status) {
    ok(r, status);
    return new JsonObject(r.body());
  }

  static String error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("error");
  }

  static void ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  HttpResponse<String> send(String token, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !body.startsWith("{")) {
      b.header("Content-Type", "application/yaml");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
