package dev.flotilla.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.proto.api.v1.ApplicationSetServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 item 2, over real sockets: a user allowed only {@code applicationsets} in {@code
 * team-a/*} put a second project in a list generator's own template and deployed into {@code
 * kube-system} under project {@code platform}. Every template an Application can come from now
 * passes the same permission checks, on the project each Application would really get.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateProjectEscapeIT {

  static final String POLICY =
      """
      g, admin, role:admin
      p, team-a, applications, *, team-a/*, allow
      p, team-a, applicationsets, *, team-a/*, allow
      p, team-a, projects, get, team-a, allow
      p, team-a, clusters, get, *, allow
      """;

  /** The attack as the hostile run sent it. */
  static final String ATTACK =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: escape
      spec:
        generators:
          - list:
              elements:
                - {cluster: east}
              template:
                spec:
                  project: platform
                  destination:
                    name: east
                    namespace: kube-system
        template:
          metadata:
            name: 'escape-{{cluster}}'
          spec:
            project: team-a
            source:
              repoURL: https://example.invalid/repo.git
              path: apps/one
            destination:
              name: '{{cluster}}'
              namespace: team-a-web
      """;

  @TempDir static Path home;

  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();
  private ManagedChannel channel;
  private String admin;
  private String alice;

  @BeforeAll
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.bootstrapToken().orElseThrow();
    ok(send(admin, "POST", "/api/v1/users", new JsonObject().put("name", "alice").encode()), 201);
    ok(send(admin, "POST", "/api/v1/teams", new JsonObject().put("name", "team-a").encode()), 201);
    ok(send(admin, "PUT", "/api/v1/teams/team-a/members/alice", ""), 200);
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", POLICY).encode()), 200);
    ok(send(admin, "POST", "/api/v1/projects", project("team-a", "team-a-*")), 200);
    ok(send(admin, "POST", "/api/v1/projects", project("platform", "*")), 200);
    ok(send(admin, "POST", "/api/v1/clusters", new JsonObject().put("name", "east").encode()), 201);
    alice = token(new JsonObject().put("user", "alice"));
  }

  @AfterAll
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cp.close();
  }

  @Test
  void theAttackIsRefusedWith403AndNothingIsStoredOrDeployed() throws Exception {
    HttpResponse<String> post = send(alice, "POST", "/api/v1/applicationsets", ATTACK);
    assertThat(post.statusCode()).as(post.body()).isEqualTo(403);
    assertThat(post.body())
        .contains("alice")
        .contains("platform/escape")
        .contains("spec.generators[0].list.template.spec.project")
        .contains("project 'platform'");
    HttpResponse<String> put = send(alice, "PUT", "/api/v1/applicationsets/escape", ATTACK);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(403);

    var appSets =
        ApplicationSetServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(alice));
    ApplyRequest request = ApplyRequest.newBuilder().setDocument(ATTACK).build();
    assertThat(catchStatus(() -> appSets.apply(request)).getStatus().getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // Nor may she see what it would generate: a dry run needs the same permission.
    assertThat(catchStatus(() -> appSets.generate(request)).getStatus().getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    assertNothingStored("escape");
    JsonArray audit = get(admin, "/api/v1/audit?actor=alice").getJsonArray("items");
    assertThat(audit.stream().map(JsonObject.class::cast))
        .anySatisfy(
            e -> {
              assertThat(e.getString("action")).isEqualTo("create");
              assertThat(e.getString("result")).isEqualTo("deny");
            });
  }

  /**
   * @param status what alice gets: 403 for a project she may not use, 400 for a template that would
   *     choose its own project (refused for everybody)
   * @param fragment what the refusal names
   */
  record Case(String name, String generators, String extra, int status, String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String ESCAPE =
      "template: {spec: {project: platform, destination: {name: east, namespace: kube-system}}}";

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "clusters generator template",
            "- clusters:\n    " + ESCAPE + "\n",
            "",
            403,
            "spec.generators[0].clusters.template.spec.project"),
        new Case(
            "git generator template",
            "- git:\n    repoURL: https://example.invalid/repo.git\n"
                + "    directories: [{path: apps/*}]\n    "
                + ESCAPE
                + "\n",
            "",
            403,
            "spec.generators[0].git.template.spec.project"),
        new Case(
            "second list generator template",
            "- list: {elements: [{cluster: east}]}\n"
                + "- list:\n    elements: [{cluster: west}]\n    "
                + ESCAPE
                + "\n",
            "",
            403,
            "spec.generators[1].list.template.spec.project"),
        new Case(
            "matrix's own template",
            "- matrix:\n    generators:\n    - list: {elements: [{cluster: east}]}\n"
                + "    - list: {elements: [{x: '1'}]}\n    "
                + ESCAPE
                + "\n",
            "",
            403,
            "spec.generators[0].matrix.template.spec.project"),
        new Case(
            "matrix child template",
            "- matrix:\n    generators:\n    - list:\n        elements: [{cluster: east}]\n"
                + "        "
                + ESCAPE
                + "\n    - list: {elements: [{x: '1'}]}\n",
            "",
            403,
            "spec.generators[0].matrix.generators[0].list.template.spec.project"),
        new Case(
            "merge child template",
            "- merge:\n    mergeKeys: [cluster]\n    generators:\n"
                + "    - list: {elements: [{cluster: east}]}\n"
                + "    - list:\n        elements: [{cluster: east}]\n        "
                + ESCAPE
                + "\n",
            "",
            403,
            "spec.generators[0].merge.generators[1].list.template.spec.project"),
        new Case(
            "nested matrix in merge",
            "- merge:\n    mergeKeys: [cluster]\n    generators:\n"
                + "    - list: {elements: [{cluster: east}]}\n"
                + "    - matrix:\n        generators:\n"
                + "        - list: {elements: [{cluster: east}]}\n"
                + "        - list: {elements: [{x: '1'}]}\n        "
                + ESCAPE
                + "\n",
            "",
            403,
            "spec.generators[0].merge.generators[1].matrix.template.spec.project"),
        new Case(
            "templated project in a generator template",
            "- list:\n    elements: [{cluster: east, p: platform}]\n"
                + "    template: {spec: {project: '{{p}}'}}\n",
            "",
            400,
            "spec.generators[0].list.template.spec.project"),
        new Case(
            "templated key in a generator template",
            "- list:\n    elements: [{cluster: east, k: project}]\n"
                + "    template: {spec: {'{{k}}': platform}}\n",
            "",
            400,
            "spec.generators[0].list.template.spec"));
  }

  @Test
  void aTemplatePatchSettingTheProjectIsIgnoredAsInArgoCdWithAWarning() throws Exception {
    Case patched =
        new Case(
            "templatePatch setting the project",
            "- list: {elements: [{cluster: east}]}\n",
            "  goTemplate: true\n  templatePatch: |\n    spec:\n      project: platform\n",
            200,
            "");
    ok(send(alice, "POST", "/api/v1/applicationsets", appSet("patched", patched)), 200);
    assertThat(stored("patched")).extracting(StoredApplication::project).containsOnly("team-a");
    assertThat(get(admin, "/api/v1/applicationsets/patched").encode())
        .contains("\"type\":\"Warning\"")
        .contains("spec.project in a templatePatch is ignored");
    // Its Application name is the one every case here generates: leave no trace for the others.
    send(admin, "DELETE", "/api/v1/applicationsets/patched", "");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                send(admin, "GET", "/api/v1/applicationsets/patched", "").statusCode() == 404
                    && stored("patched").isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyTemplateSourcePassesTheSameChecks(Case c) throws Exception {
    String name = "src-" + Math.abs(c.name().hashCode());
    HttpResponse<String> r = send(alice, "POST", "/api/v1/applicationsets", appSet(name, c));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
    assertThat(r.body()).contains(c.fragment());
    assertNothingStored(name);
  }

  @Test
  void aTemplatePatchThatLeavesTheProjectAloneIsFine() throws Exception {
    Case labelled =
        new Case(
            "labels only",
            "- list: {elements: [{cluster: east}]}\n",
            "  goTemplate: true\n  templatePatch: |\n    metadata:\n      labels:\n"
                + "        project: '{{ .cluster }}'\n",
            200,
            "");
    ok(send(alice, "POST", "/api/v1/applicationsets", appSet("labelled", labelled)), 200);
    assertThat(stored("labelled"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.project()).isEqualTo("team-a");
              assertThat(a.document().getJsonObject("metadata").getJsonObject("labels").encode())
                  .contains("\"project\":\"east\"");
            });
  }

  @Test
  void anUpdateCannotAddAProjectEither() throws Exception {
    String generatorTemplate =
        "        template:\n          spec:\n            project: platform\n"
            + "            destination:\n              name: east\n"
            + "              namespace: kube-system\n";
    assertThat(ATTACK).contains(generatorTemplate);
    String mine = renamed("mine").replace(generatorTemplate, "");
    ok(send(alice, "POST", "/api/v1/applicationsets", mine), 200);
    String before = get(admin, "/api/v1/applicationsets/mine").getJsonObject("document").encode();
    assertThat(stored("mine")).extracting(StoredApplication::project).containsOnly("team-a");

    String widened = renamed("mine");
    HttpResponse<String> put = send(alice, "PUT", "/api/v1/applicationsets/mine", widened);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
    assertThat(put.body()).contains("project 'platform'");
    assertThat(get(admin, "/api/v1/applicationsets/mine").getJsonObject("document").encode())
        .isEqualTo(before);
    assertThat(stored("mine")).extracting(StoredApplication::project).containsOnly("team-a");
  }

  @Test
  void anAdminMayAndEachApplicationIsCheckedAgainstTheProjectItActuallyGets() throws Exception {
    // The same document from someone allowed in both projects: the generator's project wins.
    String ops = renamed("ops");
    ok(send(admin, "POST", "/api/v1/applicationsets", ops), 200);
    assertThat(stored("ops"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.project()).isEqualTo("platform");
              assertThat(
                      a.document()
                          .getJsonObject("spec")
                          .getJsonObject("destination")
                          .getString("namespace"))
                  .isEqualTo("kube-system");
            });
    // Alice cannot even see an Application in the platform project.
    assertThat(send(alice, "GET", "/api/v1/applications/ops-east", null).statusCode())
        .isEqualTo(404);

    // team-a does not allow kube-system: the generator's project is what the gate checks, so the
    // Application is not stored and the set says why.
    String wrong = renamed("wrong").replace("project: platform", "project: team-a");
    ok(send(admin, "POST", "/api/v1/applicationsets", wrong), 200);
    assertThat(stored("wrong")).isEmpty();
    assertThat(get(admin, "/api/v1/applicationsets/wrong").getJsonObject("status").encode())
        .contains("project 'team-a'")
        .contains("kube-system");
  }

  @Test
  void deletingASetWhoseTemplatesReachAnotherProjectNeedsThatProjectToo() throws Exception {
    // An admin's set, at home in team-a, whose generator places its Application in platform.
    String shared = renamed("shared");
    ok(send(admin, "POST", "/api/v1/applicationsets", shared), 200);
    assertThat(stored("shared"))
        .singleElement()
        .satisfies(a -> assertThat(a.project()).isEqualTo("platform"));

    // Alice may delete ApplicationSets in team-a, but deleting this one would delete a platform
    // Application with it.
    HttpResponse<String> delete = send(alice, "DELETE", "/api/v1/applicationsets/shared", null);
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(403);
    assertThat(delete.body())
        .contains("spec.generators[0].list.template.spec.project")
        .contains("project 'platform'");
    assertThat(stored("shared")).hasSize(1);
    assertThat(send(admin, "GET", "/api/v1/applicationsets/shared", null).statusCode())
        .isEqualTo(200);
  }

  // ---- helpers

  /** The attack under another name, generating Applications of their own names. */
  private static String renamed(String name) {
    return ATTACK.replace("escape", name);
  }

  private void assertNothingStored(String name) throws Exception {
    assertThat(send(admin, "GET", "/api/v1/applicationsets/" + name, null).statusCode())
        .isEqualTo(404);
    assertThat(stored(name)).isEmpty();
    assertThat(
            get(admin, "/api/v1/applications").getJsonArray("items").stream()
                .map(o -> (JsonObject) o)
                // the admin's own ApplicationSets may deploy to kube-system; none other
                .filter(
                    a -> !java.util.Set.of("shared", "ops").contains(a.getString("applicationSet")))
                .map(JsonObject::encode))
        .noneMatch(a -> a.contains("kube-system"));
  }

  private List<StoredApplication> stored(String appSet) throws Exception {
    return cp.applications()
        .listByApplicationSet(appSet)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static String appSet(String name, Case c) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: "
        + name
        + "\nspec:\n"
        + c.extra()
        + "  generators:\n"
        + c.generators().indent(4)
        + """
          template:
            metadata:
              name: 'x-east'
            spec:
              project: team-a
              source:
                repoURL: https://example.invalid/repo.git
                path: apps/one
              destination:
                name: east
                namespace: team-a-web
        """;
  }

  private static String project(String name, String namespaces) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: %s
        spec:
          sourceRepos: ['https://example.invalid/*']
          destinations:
            - {server: '*', name: '*', namespace: '%s'}
        """
        .formatted(name, namespaces);
  }

  private String token(JsonObject request) throws Exception {
    HttpResponse<String> r =
        send(admin, "POST", "/api/v1/tokens", request.put("description", "test").encode());
    ok(r, 201);
    return new JsonObject(r.body()).getString("token");
  }

  private JsonObject get(String token, String path) throws Exception {
    HttpResponse<String> r = send(token, "GET", path, null);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
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
