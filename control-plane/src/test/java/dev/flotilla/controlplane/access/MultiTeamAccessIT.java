package dev.flotilla.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.ApplicationSetServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.ListApplicationsRequest;
import dev.flotilla.proto.api.v1.ListProjectsRequest;
import dev.flotilla.proto.api.v1.ProjectName;
import dev.flotilla.proto.api.v1.ProjectServiceGrpc;
import dev.flotilla.proto.api.v1.SyncApplicationRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two teams on one control plane, over real sockets (REST and gRPC): each sees and touches only its
 * own project, hidden objects answer exactly like missing ones, refusals change nothing and land in
 * the audit log, and every kind of bad token is refused alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiTeamAccessIT {

  static final String POLICY =
      """
      g, admin, role:admin
      p, team-a, applications, *, team-a/*, allow
      p, team-a, applications, delete, team-a/*, deny
      p, team-a, applicationsets, *, team-a/*, allow
      p, team-a, projects, get, team-a, allow
      p, team-a, clusters, get, *, allow
      p, team-b, applications, get, team-b/*, allow
      p, team-b, applicationsets, *, team-b/*, allow
      p, team-b, projects, get, team-b, allow
      """;

  @TempDir static Path home;

  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();
  private ManagedChannel channel;
  private String admin;
  private String alice;
  private String bob;
  private String carol;
  private String ci;

  @BeforeAll
  void startTwoTeams() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.bootstrapToken().orElseThrow();
    assertThat(cp.adminToken().value()).isEqualTo(admin);
    for (String user : List.of("alice", "bob", "carol")) {
      ok(send(admin, "POST", "/api/v1/users", new JsonObject().put("name", user).encode()), 201);
    }
    for (String team : List.of("team-a", "team-b")) {
      ok(send(admin, "POST", "/api/v1/teams", new JsonObject().put("name", team).encode()), 201);
    }
    ok(send(admin, "PUT", "/api/v1/teams/team-a/members/alice", ""), 200);
    ok(send(admin, "PUT", "/api/v1/teams/team-b/members/bob", ""), 200);
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", POLICY).encode()), 200);
    ok(
        send(admin, "POST", "/api/v1/projects", project("team-a", "https://example.invalid/*")),
        200);
    ok(
        send(admin, "POST", "/api/v1/projects", project("team-b", "https://example.invalid/*")),
        200);
    for (String cluster : List.of("east", "west")) {
      ok(
          send(admin, "POST", "/api/v1/clusters", new JsonObject().put("name", cluster).encode()),
          201);
    }
    alice = token(admin, new JsonObject().put("user", "alice"));
    bob = token(admin, new JsonObject().put("user", "bob"));
    carol = token(admin, new JsonObject().put("user", "carol"));
    ci = token(admin, new JsonObject().put("project", "team-a").put("role", "ci"));
    ok(send(alice, "POST", "/api/v1/applicationsets", appSet("web-a", "team-a")), 200);
    ok(send(bob, "POST", "/api/v1/applicationsets", appSet("web-b", "team-b")), 200);
  }

  @AfterAll
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cp.close();
  }

  // ---- scoped views

  @Test
  void eachTeamListsOnlyItsOwnApplicationsAndTheAdminListsAll() throws Exception {
    assertThat(names(get(alice, "/api/v1/applications")))
        .containsExactly("web-a-east", "web-a-west");
    assertThat(names(get(bob, "/api/v1/applications"))).containsExactly("web-b-east", "web-b-west");
    assertThat(names(get(carol, "/api/v1/applications"))).isEmpty();
    assertThat(names(get(admin, "/api/v1/applications"))).hasSize(4);

    assertThat(names(get(alice, "/api/v1/applicationsets"))).containsExactly("web-a");
    assertThat(names(get(bob, "/api/v1/projects"))).containsExactly("team-b");
    assertThat(names(get(alice, "/api/v1/clusters"))).containsExactly("east", "west");
    assertThat(names(get(bob, "/api/v1/clusters"))).as("team-b has no cluster grant").isEmpty();
  }

  @Test
  void listsFilterAndPage() throws Exception {
    assertThat(names(get(admin, "/api/v1/applications?cluster=east")))
        .containsExactly("web-a-east", "web-b-east");
    assertThat(names(get(admin, "/api/v1/applications?project=team-b")))
        .containsExactly("web-b-east", "web-b-west");
    assertThat(names(get(admin, "/api/v1/applications?label=team%3Da")))
        .containsExactly("web-a-east", "web-a-west");
    assertThat(names(get(admin, "/api/v1/applications?label=team!%3Da,tier")))
        .containsExactly("web-b-east", "web-b-west");
    assertThat(names(get(admin, "/api/v1/applications?sync=Unknown&health=Unknown"))).hasSize(4);
    assertThat(names(get(admin, "/api/v1/applications?sync=Synced"))).isEmpty();

    JsonObject first = get(admin, "/api/v1/applications?limit=3");
    assertThat(names(first)).containsExactly("web-a-east", "web-a-west", "web-b-east");
    assertThat(first.getString("nextPageToken")).isEqualTo("web-b-east");
    JsonObject second = get(admin, "/api/v1/applications?limit=3&pageToken=web-b-east");
    assertThat(names(second)).containsExactly("web-b-west");
    assertThat(second.containsKey("nextPageToken")).isFalse();
    // Pages count only what the caller may see.
    JsonObject alicePage = get(alice, "/api/v1/applications?limit=1");
    assertThat(names(alicePage)).containsExactly("web-a-east");
    assertThat(alicePage.getString("nextPageToken")).isEqualTo("web-a-east");

    HttpResponse<String> badLimit = send(admin, "GET", "/api/v1/applications?limit=lots", null);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.body()).contains("limit");
    HttpResponse<String> tooMany = send(admin, "GET", "/api/v1/clusters?limit=5000", null);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("limit");
    HttpResponse<String> badLabel =
        send(admin, "GET", "/api/v1/projects?label=%27%3B%20DROP%20TABLE%20app_projects", null);
    assertThat(badLabel.statusCode()).isEqualTo(400);
    assertThat(badLabel.body()).contains("label");
  }

  @Test
  void grpcListAndWatchShowTheSameScopeAsRest() throws Exception {
    var apps = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(bob));
    assertThat(
            apps.list(ListApplicationsRequest.getDefaultInstance()).getApplicationsList().stream()
                .map(a -> a.getName())
                .toList())
        .containsExactly("web-b-east", "web-b-west");
    var page =
        apps.list(
            ListApplicationsRequest.newBuilder().setPageSize(1).setLabelSelector("team=b").build());
    assertThat(page.getApplicationsCount()).isEqualTo(1);
    assertThat(page.getNextPageToken()).isEqualTo("web-b-east");
    assertThat(
            catchStatus(
                    () ->
                        apps.list(
                            ListApplicationsRequest.newBuilder()
                                .setLabelSelector("team=;drop")
                                .build()))
                .getStatus()
                .getDescription())
        .startsWith("label_selector: ");

    var context = io.grpc.Context.current().withCancellation();
    try {
      var seen = new java.util.ArrayList<String>();
      context.run(
          () -> {
            var stream =
                ApplicationServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(bearer(alice))
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .watch(ListApplicationsRequest.getDefaultInstance());
            seen.add(stream.next().getName());
            seen.add(stream.next().getName());
          });
      assertThat(seen).containsExactly("web-a-east", "web-a-west");
    } finally {
      context.cancel(null);
    }
  }

  // ---- no enumeration

  @Test
  void anotherTeamsObjectAnswersExactlyLikeAMissingOne() throws Exception {
    for (String[] pair :
        new String[][] {
          {"/api/v1/applications/web-b-east", "/api/v1/applications/nope-east"},
          {"/api/v1/applicationsets/web-b", "/api/v1/applicationsets/nope"},
          {"/api/v1/projects/team-b", "/api/v1/projects/nope"},
        }) {
      HttpResponse<String> hidden = send(alice, "GET", pair[0], null);
      HttpResponse<String> missing = send(alice, "GET", pair[1], null);
      assertThat(hidden.statusCode()).as(pair[0]).isEqualTo(404).isEqualTo(missing.statusCode());
      String hiddenName = pair[0].substring(pair[0].lastIndexOf('/') + 1);
      String missingName = pair[1].substring(pair[1].lastIndexOf('/') + 1);
      assertThat(hidden.body().replace(hiddenName, "X"))
          .isEqualTo(missing.body().replace(missingName, "X"));
    }
    // Acting on it is no different: not found, never "forbidden".
    HttpResponse<String> sync = send(alice, "POST", "/api/v1/applications/web-b-east/sync", "");
    assertThat(sync.statusCode()).isEqualTo(404);
    HttpResponse<String> delete = send(alice, "DELETE", "/api/v1/applicationsets/web-b", null);
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(names(get(admin, "/api/v1/applicationsets"))).contains("web-b");

    var apps = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(alice));
    StatusRuntimeException grpcHidden =
        catchStatus(() -> apps.get(ApplicationName.newBuilder().setName("web-b-east").build()));
    StatusRuntimeException grpcMissing =
        catchStatus(() -> apps.get(ApplicationName.newBuilder().setName("nope-east").build()));
    assertThat(grpcHidden.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(grpcHidden.getStatus().getDescription().replace("web-b-east", "X"))
        .isEqualTo(grpcMissing.getStatus().getDescription().replace("nope-east", "X"));
    var projects = ProjectServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(alice));
    assertThat(
            catchStatus(() -> projects.get(ProjectName.newBuilder().setName("team-b").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  // ---- refused changes change nothing and are audited

  @Test
  void seeingIsNotActing() throws Exception {
    HttpResponse<String> sync = send(bob, "POST", "/api/v1/applications/web-b-east/sync", "");
    assertThat(sync.statusCode()).isEqualTo(403);
    assertThat(sync.body()).contains("bob").contains("sync").contains("team-b/web-b-east");

    var apps = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(bob));
    assertThat(
            catchStatus(
                    () ->
                        apps.sync(
                            SyncApplicationRequest.newBuilder().setName("web-b-west").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    JsonArray audit = get(admin, "/api/v1/audit?actor=bob").getJsonArray("items");
    assertThat(audit.stream().map(JsonObject.class::cast))
        .anySatisfy(
            e -> {
              assertThat(e.getString("action")).isEqualTo("sync");
              assertThat(e.getString("object")).isEqualTo("team-b/web-b-east");
              assertThat(e.getString("result")).isEqualTo("deny");
            });
    // Alice's view of the audit log holds nothing about team-b's objects.
    assertThat(get(alice, "/api/v1/audit").getJsonArray("items").encode())
        .doesNotContain("team-b/");
  }

  @Test
  void auditPagesWithPageTokensReturnEveryEntryOnceWhileNewOnesArrive() throws Exception {
    // Make sure there are several pages, whatever ran before.
    for (int i = 0; i < 5; i++) {
      ok(send(admin, "PUT", "/api/v1/teams/team-a/members/alice", ""), 200);
    }
    List<Long> before =
        get(admin, "/api/v1/audit?limit=1000").getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getLong("id"))
            .toList();
    assertThat(before).hasSizeGreaterThan(4);

    List<Long> walked = new java.util.ArrayList<>();
    String token = "";
    for (int page = 0; page < 1000; page++) {
      JsonObject body = get(admin, "/api/v1/audit?limit=3&pageToken=" + token);
      body.getJsonArray("items").forEach(o -> walked.add(((JsonObject) o).getLong("id")));
      token = body.getString("nextPageToken");
      if (token.isEmpty()) {
        break;
      }
      // A newer entry between pages would shift an offset; the token must not be moved by it.
      ok(send(admin, "PUT", "/api/v1/teams/team-a/members/alice", ""), 200);
    }
    assertThat(walked).containsExactlyElementsOf(before);

    HttpResponse<String> bad = send(admin, "GET", "/api/v1/audit?pageToken=bogus", null);
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("pageToken");
  }

  @Test
  void allowedSyncPassesTheCheckAndIsAuditedAsAttempted() throws Exception {
    // No agent is connected, so the sync itself cannot happen: 503, but not 403 or 404.
    HttpResponse<String> sync = send(alice, "POST", "/api/v1/applications/web-a-east/sync", "");
    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(503);
    assertThat(sync.body()).contains("not connected");
    JsonArray audit =
        get(admin, "/api/v1/audit?actor=alice&kind=applications&object=team-a/web-a-east")
            .getJsonArray("items");
    assertThat(audit).isNotEmpty();
    assertThat(audit.getJsonObject(0).getString("result")).isEqualTo("error");
  }

  @Test
  void aTeamCannotReachIntoAnotherTeamsApplicationSetByName() throws Exception {
    String before = get(admin, "/api/v1/applicationsets/web-b").encode();
    // Replacing it as it is, or moving it into her own project under the same name: both refused.
    HttpResponse<String> asIs =
        send(alice, "PUT", "/api/v1/applicationsets/web-b", appSet("web-b", "team-b"));
    assertThat(asIs.statusCode()).isEqualTo(403);
    HttpResponse<String> hijack =
        send(alice, "POST", "/api/v1/applicationsets", appSet("web-b", "team-a"));
    assertThat(hijack.statusCode()).isEqualTo(403);
    assertThat(hijack.body()).doesNotContain("team-b").doesNotContain("taken");
    // The name is taken by a set she cannot see: the answer is word for word that of any create
    // she may not do (here: a new set in a project not hers), so it says nothing of team-b's set.
    HttpResponse<String> foreign =
        send(alice, "POST", "/api/v1/applicationsets", appSet("web-c", "team-b"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(hijack.body().replace("team-a/web-b", "OBJECT"))
        .isEqualTo(foreign.body().replace("team-b/web-c", "OBJECT"));
    var appSets =
        ApplicationSetServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(alice));
    Status hidden =
        catchStatus(
                () ->
                    appSets.apply(
                        ApplyRequest.newBuilder().setDocument(appSet("web-b", "team-a")).build()))
            .getStatus();
    Status refused =
        catchStatus(
                () ->
                    appSets.apply(
                        ApplyRequest.newBuilder().setDocument(appSet("web-c", "team-b")).build()))
            .getStatus();
    assertThat(hidden.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(hidden.getDescription().replace("team-a/web-b", "OBJECT"))
        .isEqualTo(refused.getDescription().replace("team-b/web-c", "OBJECT"));
    assertThat(get(admin, "/api/v1/applicationsets/web-b").encode()).isEqualTo(before);
    assertThat(names(get(bob, "/api/v1/applications"))).containsExactly("web-b-east", "web-b-west");
  }

  @Test
  void aTemplatedProjectCannotEscapeTheTeamsProject() throws Exception {
    String escape =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: sneaky
        spec:
          generators:
            - list:
                elements:
                  - {project: team-b}
          template:
            metadata:
              name: 'sneaky-{{project}}'
            spec:
              project: '{{project}}'
              source:
                repoURL: https://example.invalid/repo.git
                path: apps/one
              destination:
                name: east
                namespace: sneaky
        """;
    // Refused for everyone, admin included: a template may not choose its own project.
    HttpResponse<String> refused = send(alice, "POST", "/api/v1/applicationsets", escape);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("spec.template.spec.project");
    // Nor may a templatePatch set the project (refused as invalid input, see
    // TemplateProjectEscapeIT).
    String patched =
        appSet("patched", "team-a")
            .replace(
                "  template:\n",
                "  templatePatch: |\n    spec:\n      project: team-b\n  template:\n");
    HttpResponse<String> patch = send(alice, "POST", "/api/v1/applicationsets", patched);
    assertThat(patch.statusCode()).as(patch.body()).isIn(400, 403);
    assertThat(send(admin, "GET", "/api/v1/applicationsets/patched", null).statusCode())
        .isEqualTo(404);
    assertThat(send(admin, "GET", "/api/v1/applicationsets/sneaky", null).statusCode())
        .isEqualTo(404);
    assertThat(names(get(admin, "/api/v1/applications"))).noneMatch(n -> n.startsWith("sneaky"));
  }

  @Test
  void aProjectCannotBeWidenedWithoutUpdateOnIt() throws Exception {
    String before = get(admin, "/api/v1/projects/team-a").encode();
    HttpResponse<String> widen =
        send(alice, "PUT", "/api/v1/projects/team-a", project("team-a", "*"));
    assertThat(widen.statusCode()).isEqualTo(403);
    assertThat(widen.body()).contains("update").contains("team-a");
    // Nor by the project's own role token, whose policies cannot reach its project.
    HttpResponse<String> byRole =
        send(ci, "PUT", "/api/v1/projects/team-a", project("team-a", "*"));
    assertThat(byRole.statusCode()).isEqualTo(403);
    assertThat(get(admin, "/api/v1/projects/team-a").encode()).isEqualTo(before);

    // A role that tries to grant outside its project is invalid input, named, and stores nothing.
    String outside =
        project("team-a", "*")
            .replace(
                "p, proj:team-a:ci, applications, get, team-a/*, allow",
                "p, proj:team-a:ci, applications, get, team-b/*, allow");
    HttpResponse<String> invalid = send(admin, "PUT", "/api/v1/projects/team-a", outside);
    assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
    assertThat(invalid.body()).contains("spec.roles[0].policies");
    assertThat(get(admin, "/api/v1/projects/team-a").encode()).isEqualTo(before);
  }

  @Test
  void aProjectRoleTokenActsOnlyWithinItsProject() throws Exception {
    assertThat(names(get(ci, "/api/v1/applications"))).containsExactly("web-a-east", "web-a-west");
    assertThat(send(ci, "POST", "/api/v1/applications/web-a-east/sync", "").statusCode())
        .as("allowed, but no agent is connected")
        .isEqualTo(503);
    assertThat(send(ci, "GET", "/api/v1/applications/web-b-east", null).statusCode())
        .isEqualTo(404);
    assertThat(get(ci, "/api/v1/session").getString("name")).isEqualTo("proj:team-a:ci");
    HttpResponse<String> mint =
        send(ci, "POST", "/api/v1/tokens", new JsonObject().put("description", "x").encode());
    assertThat(mint.statusCode()).isEqualTo(403);
  }

  @Test
  void denyWinsOverAllow() throws Exception {
    HttpResponse<String> delete = send(alice, "DELETE", "/api/v1/applicationsets/web-a", null);
    // team-a may delete ApplicationSets; the deny line is about Applications, so this works...
    assertThat(delete.statusCode()).isNotEqualTo(403);
    // Deletion runs in the background: the set can be applied again once it is gone.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(send(admin, "GET", "/api/v1/applicationsets/web-a", null).statusCode())
                    .isEqualTo(404));
    ok(send(alice, "POST", "/api/v1/applicationsets", appSet("web-a", "team-a")), 200);
    var grants = cp.access().enforcer().toCompletionStage().toCompletableFuture().get();
    var subject = dev.flotilla.core.rbac.Subject.user("alice", java.util.Set.of("team-a"));
    // ...while deleting an Application is denied although "applications, *" allows it.
    assertThat(grants.enforce(subject, "applications", "delete", "team-a/web-a-east")).isFalse();
    assertThat(grants.enforce(subject, "applications", "sync", "team-a/web-a-east")).isTrue();
  }

  // ---- tokens

  @Test
  void missingWrongExpiredAndRevokedTokensAreRefusedAlike() throws Exception {
    String expiring = expiredToken("carol");
    String revoked = token(admin, new JsonObject().put("user", "carol"));
    long revokedId =
        get(admin, "/api/v1/tokens?user=carol")
            .getJsonArray("items")
            .getJsonObject(0)
            .getLong("id");
    ok(send(admin, "DELETE", "/api/v1/tokens/" + revokedId, null), 200);

    HttpResponse<String> none = send(null, "GET", "/api/v1/applications", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.body()).contains("missing bearer token");
    String answer = null;
    for (String bad : List.of(expiring, revoked, "flt_not-a-token", "' OR 1=1 --")) {
      HttpResponse<String> r = send(bad, "GET", "/api/v1/applications", null);
      assertThat(r.statusCode()).as(bad).isEqualTo(401);
      if (answer == null) {
        answer = r.body();
      }
      assertThat(r.body()).as("no way to tell why").isEqualTo(answer);
    }
    assertThat(send(carol, "GET", "/api/v1/applications", null).statusCode()).isEqualTo(200);

    var apps = ApplicationServiceGrpc.newBlockingStub(channel);
    assertThat(
            catchStatus(() -> apps.list(ListApplicationsRequest.getDefaultInstance()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            catchStatus(
                    () ->
                        apps.withCallCredentials(bearer(expiring))
                            .list(ListApplicationsRequest.getDefaultInstance()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    // Health and readiness need no token.
    assertThat(send(null, "GET", "/healthz", null).statusCode()).isEqualTo(200);
  }

  /**
   * A token for {@code user} that expired an hour ago: issued on a clock running an hour behind the
   * control plane's, so that no test waits for a token to expire.
   */
  private String expiredToken(String user) throws Exception {
    Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
    // The control plane's own pool: it closes it when it stops.
    Pool pool = cp.database().pool(cp.vertx());
    return new TokenRepository(pool, anHourAgo)
        .createForUser(user, "expired", anHourAgo.instant().plus(Duration.ofMinutes(1)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .plaintext();
  }

  @Test
  void tokensAreHashedAtRestAndRecordTheirLastUse() throws Exception {
    String t = token(admin, new JsonObject().put("user", "carol").put("description", "ci job"));
    get(t, "/api/v1/session");
    JsonObject listed =
        get(admin, "/api/v1/tokens?user=carol").getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(o -> "ci job".equals(o.getString("description")))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getString("lastUsedAt")).isNotNull();
    assertThat(listed.encode()).doesNotContain(t);
    var rows =
        cp.database()
            .pool(cp.vertx())
            .query("SELECT token_hash FROM api_tokens")
            .execute()
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    rows.forEach(r -> assertThat(r.getString(0)).isNotEqualTo(t));
    HttpResponse<String> badExpiry =
        send(
            admin,
            "POST",
            "/api/v1/tokens",
            new JsonObject().put("user", "carol").put("expiresIn", "forever").encode());
    assertThat(badExpiry.statusCode()).isEqualTo(400);
    assertThat(badExpiry.body()).contains("expiresIn");
  }

  @Test
  void theDefaultRoleAppliesToEveryoneUntilADenyTakesItBack() throws Exception {
    try {
      ok(
          send(
              admin,
              "PUT",
              "/api/v1/policy",
              new JsonObject()
                  .put("policy", POLICY + "p, carol, applications, get, team-b/*, deny\n")
                  .put("defaultRole", "role:readonly")
                  .encode()),
          200);
      assertThat(names(get(carol, "/api/v1/applications")))
          .containsExactly("web-a-east", "web-a-west");
      assertThat(send(carol, "POST", "/api/v1/applications/web-a-east/sync", "").statusCode())
          .isEqualTo(403);
      HttpResponse<String> badRole =
          send(
              admin,
              "PUT",
              "/api/v1/policy",
              new JsonObject().put("policy", POLICY).put("defaultRole", "admin").encode());
      assertThat(badRole.statusCode()).isEqualTo(400);
      assertThat(badRole.body()).contains("defaultRole");
    } finally {
      ok(
          send(
              admin,
              "PUT",
              "/api/v1/policy",
              new JsonObject().put("policy", POLICY).put("defaultRole", "").encode()),
          200);
    }
    assertThat(names(get(carol, "/api/v1/applications"))).isEmpty();
  }

  @Test
  void tokenAndMembershipMistakesAreNamedAndAudited() throws Exception {
    HttpResponse<String> roleAlone =
        send(admin, "POST", "/api/v1/tokens", new JsonObject().put("role", "ci").encode());
    assertThat(roleAlone.statusCode()).isEqualTo(400);
    assertThat(roleAlone.body()).contains("role");
    HttpResponse<String> mint =
        send(
            ci,
            "POST",
            "/api/v1/tokens",
            new JsonObject().put("project", "team-a").put("role", "ci").encode());
    assertThat(mint.statusCode()).isEqualTo(403);
    assertThat(get(admin, "/api/v1/audit?actor=proj:team-a:ci&kind=projects").encode())
        .contains("\"result\":\"deny\"");
    HttpResponse<String> nobody = send(admin, "PUT", "/api/v1/teams/team-a/members/nobody", "");
    assertThat(nobody.statusCode()).isEqualTo(404);
    assertThat(nobody.body()).contains("nobody");
    HttpResponse<String> badType =
        send(
            admin,
            "POST",
            "/api/v1/teams",
            new JsonObject().put("name", "team-c").put("description", 7).encode());
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(badType.body()).contains("description");
  }

  // ---- hostile input

  @Test
  void sqlLookingStringsAreJustNames() throws Exception {
    String evil = "x'; DROP TABLE applications; --";
    String encoded = java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            send(admin, "GET", "/api/v1/applications/" + encoded.replace("+", "%20"), null)
                .statusCode())
        .isEqualTo(404);
    // Such text is never spliced into SQL, and as a name it is refused where it enters.
    var refused = send(admin, "POST", "/api/v1/users", new JsonObject().put("name", evil).encode());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(refused.body()).getString("error"))
        .startsWith("name: ")
        .contains("is not a valid name");
    assertThat(names(get(admin, "/api/v1/users"))).doesNotContain(evil);
    ok(send(admin, "DELETE", "/api/v1/users/" + encoded.replace("+", "%20"), null), 404);
    assertThat(get(admin, "/api/v1/audit?actor=" + encoded).getJsonArray("items")).isEmpty();
    assertThat(names(get(admin, "/api/v1/applications"))).hasSize(4);
  }

  @Test
  void malformedAndOversizedBodiesAreRefusedAndChangeNothing() throws Exception {
    String before = get(admin, "/api/v1/policy").getString("policy");
    HttpResponse<String> notJson = send(admin, "PUT", "/api/v1/policy", "{policy:");
    assertThat(notJson.statusCode()).isEqualTo(400);
    HttpResponse<String> wrongType =
        send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", 42).encode());
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("policy");
    HttpResponse<String> badLine =
        send(
            admin,
            "PUT",
            "/api/v1/policy",
            new JsonObject().put("policy", "p, team-a, applications, get, *, maybe").encode());
    assertThat(badLine.statusCode()).isEqualTo(400);
    assertThat(badLine.body()).contains("line 1");
    for (String body : List.of("{\"name\": 7}", "{\"name\": \"c9\", \"labels\": \"env=prod\"}")) {
      HttpResponse<String> wrong = send(admin, "POST", "/api/v1/clusters", body);
      assertThat(wrong.statusCode()).as(body).isEqualTo(400);
      assertThat(wrong.body()).containsAnyOf("name: must be", "labels: must be");
    }
    HttpResponse<String> numericRevision =
        send(admin, "POST", "/api/v1/applications/web-a-east/sync", "{\"revision\": 42}");
    assertThat(numericRevision.statusCode()).isEqualTo(400);
    assertThat(numericRevision.body()).contains("revision");
    HttpResponse<String> huge =
        send(admin, "POST", "/api/v1/projects", "x".repeat(2 * 1024 * 1024));
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(get(admin, "/api/v1/policy").getString("policy")).isEqualTo(before);

    var appSets =
        ApplicationSetServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(admin));
    StatusRuntimeException tooLarge =
        catchStatus(
            () ->
                appSets.apply(
                    ApplyRequest.newBuilder().setDocument("x".repeat(1024 * 1024 + 10)).build()));
    assertThat(tooLarge.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    var projects = ProjectServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(admin));
    StatusRuntimeException badYaml =
        catchStatus(
            () -> projects.apply(ApplyRequest.newBuilder().setDocument("metadata: [").build()));
    assertThat(badYaml.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(projects.list(ListProjectsRequest.getDefaultInstance()).getProjectsList())
        .hasSize(2);
  }

  // ---- helpers

  private static String project(String name, String repos) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: %s
        spec:
          sourceRepos: ['%s']
          destinations:
            - {server: '*', name: '*', namespace: '*'}
          roles:
            - name: ci
              policies:
                - p, proj:%s:ci, applications, get, %s/*, allow
                - p, proj:%s:ci, applications, sync, %s/*, allow
        """
        .formatted(name, repos, name, name, name, name);
  }

  private static String appSet(String name, String project) {
    String team = project.substring(project.length() - 1);
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
                  - {cluster: east}
                  - {cluster: west}
          template:
            metadata:
              name: '%s-{{cluster}}'
              labels:
                team: %s
                %s
            spec:
              project: %s
              source:
                repoURL: https://example.invalid/repo.git
                path: apps/one
              destination:
                name: '{{cluster}}'
                namespace: web
        """
        .formatted(name, name, team, team.equals("b") ? "tier: web" : "owner: a", project);
  }

  private String token(String as, JsonObject request) throws Exception {
    HttpResponse<String> r =
        send(
            as,
            "POST",
            "/api/v1/tokens",
            request.put("description", request.getString("description", "test")).encode());
    ok(r, 201);
    return new JsonObject(r.body()).getString("token");
  }

  private JsonObject get(String token, String path) throws Exception {
    HttpResponse<String> r = send(token, "GET", path, null);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> names(JsonObject list) {
    return list.getJsonArray("items").stream()
        .map(
            o ->
                ((JsonObject) o).getValue("name") != null
                    ? ((JsonObject) o).getString("name")
                    : ((JsonObject) o).getJsonObject("metadata").getString("name"))
        .toList();
  }

  private static void ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  private HttpResponse<String> send(String token, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CallCredentials bearer(String token) {
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

  private static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("expected the call to fail");
  }
}
