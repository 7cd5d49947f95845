package dev.flotilla.controlplane.appofapps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App of Apps on a real Postgres and a real Git server: the bootstrap root reads a directory of
 * Argo CD objects; commits add, change and remove children; a bad commit deletes nothing; a child
 * cannot escalate its project; a child cannot be changed by hand.
 */
class AppOfAppsIT {

  @TempDir Path tmp;

  private ControlPlane cp;
  private TestRepo repo;
  private HttpGitServer server;
  private String url;
  private final HttpClient http = HttpClient.newHttpClient();

  static final String IN_CLUSTER = "https://kubernetes.default.svc";

  @BeforeEach
  void start() throws Exception {
    Path served = tmp.resolve("served");
    Files.createDirectories(served);
    repo = new TestRepo(served.resolve("infra"));
    server = new HttpGitServer(served);
    url = server.url("infra");
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(tmp.resolve("home"))
                .withListen("127.0.0.1", 0, 0)
                .withGitPollInterval(Duration.ofHours(1)),
            TestDatabases.fresh());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
    server.close();
    repo.close();
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static String application(String name, String project, String path, String extra) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "
        + name
        + "\n  namespace: argocd\nspec:\n  project: "
        + project
        + "\n  source:\n    repoURL: REPO\n    path: "
        + path
        + "\n  destination:\n    server: "
        + IN_CLUSTER
        + "\n    namespace: "
        + name
        + "\n"
        + extra;
  }

  private String app(String name, String project, String path, String extra) {
    return application(name, project, path, extra).replace("REPO", url);
  }

  static final String TEAM_PROJECT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata:
        name: team-a
        namespace: argocd
      spec:
        sourceRepos: ['*']
        destinations:
          - {server: https://kubernetes.default.svc, namespace: 'team-*'}
      """;

  static final String JOBS =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: jobs
        namespace: argocd
      spec:
        generators:
          - list:
              elements:
                - {job: nightly}
        template:
          metadata:
            name: 'job-{{job}}'
          spec:
            project: default
            source: {repoURL: https://example.invalid/jobs.git, path: '{{job}}'}
            destination: {server: https://kubernetes.default.svc, namespace: jobs}
      """;

  /** Polls Git (moving Applications to new commits) and sweeps until children settle. */
  private void settle() throws Exception {
    get(cp.poller().pollOnce());
    for (int i = 0; i < 3; i++) {
      get(cp.appOfApps().controller().sweep());
    }
  }

  private Optional<StoredApplication> application(String name) throws Exception {
    return get(cp.applications().listAll()).stream().filter(a -> a.name().equals(name)).findFirst();
  }

  private Optional<String> parentOf(ChildKind kind, String name) throws Exception {
    return get(cp.appOfApps().repository().parentOf(kind, name));
  }

  private JsonObject children(String parent) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/applications/" + parent + "/children", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + cp.adminToken().value());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> conditionTypes(JsonObject children) {
    return children.getJsonArray("conditions").stream()
        .map(c -> ((JsonObject) c).getString("type"))
        .toList();
  }

  private static String messages(JsonObject children) {
    JsonArray conditions = children.getJsonArray("conditions");
    StringBuilder s = new StringBuilder();
    conditions.forEach(c -> s.append(((JsonObject) c).getString("message")).append('\n'));
    return s.toString();
  }

  @Test
  void commitsCreateUpdateAndPruneChildrenSafely() throws Exception {
    repo.write("apps/project.yaml", TEAM_PROJECT)
        .write("apps/web.yaml", app("web", "default", "web", ""))
        .write("apps/team.yaml", app("team-root", "team-a", "team", ""))
        .write("apps/jobs.yaml", JOBS)
        .write("web/cm.yaml", TestRepo.configMap("web", "k", "v"))
        .write("team/svc.yaml", app("team-svc", "team-a", "svc", ""))
        // Escalation through Git: team-a's parent naming the default project for a child...
        .write("team/evil.yaml", app("team-evil", "default", "evil", ""))
        // ...or creating a project, which team-a (no cluster-scoped kinds) does not permit.
        .write("team/project.yaml", TEAM_PROJECT.replace("team-a", "team-b"));
    repo.commit("root, a team and its services");

    get(cp.bootstrap(new BootstrapSource(url, "HEAD", "apps")));
    settle();

    // Bootstrap: the root is an Application of project default, read by the control plane only.
    StoredApplication root = application(BootstrapRoot.NAME).orElseThrow();
    assertThat(root.project()).isEqualTo("default");
    assertThat(root.cluster()).isNull();
    assertThat(root.dispatchError()).contains("read by the control plane only");

    // Created, owned by their parents.
    assertThat(parentOf(ChildKind.APPLICATION, "web")).contains(BootstrapRoot.NAME);
    assertThat(parentOf(ChildKind.APPLICATION, "team-root")).contains(BootstrapRoot.NAME);
    assertThat(parentOf(ChildKind.APP_PROJECT, "team-a")).contains(BootstrapRoot.NAME);
    assertThat(parentOf(ChildKind.APPLICATION_SET, "jobs")).contains(BootstrapRoot.NAME);
    assertThat(parentOf(ChildKind.APPLICATION, "team-svc")).contains("team-root");
    assertThat(application("job-nightly")).as("the child ApplicationSet generated").isPresent();
    assertThat(application("web").orElseThrow().document().getJsonObject("metadata").fieldNames())
        .as("no cluster namespace on a control-plane object")
        .doesNotContain("namespace");

    // Escalation refused, as conditions of the parent; its other child proceeded.
    assertThat(application("team-evil")).isEmpty();
    assertThat(get(cp.projects().get("team-b"))).isEmpty();
    JsonObject team = children("team-root");
    assertThat(conditionTypes(team)).containsOnly("ChildRefused");
    assertThat(messages(team))
        .contains(
            "Application 'team-evil': names project 'default', but a child may name only its"
                + " parent's project ('team-a') or a project the same parent declares")
        .contains("AppProject 'team-b': refused by the parent's project");
    assertThat(team.getJsonArray("children").encode()).contains("team-svc");
    JsonObject rootChildren = children(BootstrapRoot.NAME);
    assertThat(rootChildren.getJsonArray("children").encode())
        .contains("\"kind\":\"AppProject\",\"name\":\"team-a\"")
        .contains("\"kind\":\"ApplicationSet\",\"name\":\"jobs\"")
        .contains("\"kind\":\"Application\",\"name\":\"web\"");
    assertThat(rootChildren.getJsonArray("conditions")).isEmpty();

    // A child cannot be changed by hand: the message names the parent.
    HttpResponse<String> byHand = send("PUT", "/api/v1/applicationsets/jobs", JOBS);
    assertThat(byHand.statusCode()).isEqualTo(409);
    assertThat(byHand.body())
        .contains("ApplicationSet 'jobs' is a child of Application 'flotilla-bootstrap'");
    assertThat(send("DELETE", "/api/v1/projects/team-a", null).body())
        .contains("AppProject 'team-a' is a child of Application 'flotilla-bootstrap'");
    HttpResponse<String> patched =
        send("PATCH", "/api/v1/applications/web", "{\"spec\":{\"project\":\"other\"}}");
    assertThat(patched.statusCode()).isEqualTo(409);
    assertThat(patched.body())
        .contains("application 'web' is a child of the App of Apps 'flotilla-bootstrap'");
    assertThat(send("DELETE", "/api/v1/applications/web", null).statusCode()).isEqualTo(409);
    assertThat(application("web")).as("nothing lost by the refusals").isPresent();

    // A commit changes one child: updated.
    repo.write("apps/web.yaml", app("web", "default", "web-v2", "")).commit("web moves");
    settle();
    assertThat(application("web").orElseThrow().spec().getJsonObject("source").getString("path"))
        .isEqualTo("web-v2");

    // A commit removes one: the root prunes automatically, so it goes.
    repo.remove("apps/jobs.yaml").commit("no more jobs");
    settle();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(cp.applicationSets().get("jobs"))).isEmpty());

    // team-root does not prune: a child gone from Git is kept until a sync with prune.
    repo.remove("team/svc.yaml")
        .remove("team/evil.yaml")
        .remove("team/project.yaml")
        .write("team/other.yaml", app("team-other", "team-a", "other", ""))
        .commit("team-svc retired");
    settle();
    assertThat(application("team-other")).isPresent();
    assertThat(application("team-svc")).as("kept without prune").isPresent();
    assertThat(conditionTypes(children("team-root"))).containsOnly("PruneHeldBack");
    HttpResponse<String> prune = send("POST", "/api/v1/applications/team-root/children/prune", "");
    assertThat(prune.statusCode()).as(prune.body()).isEqualTo(200);
    assertThat(application("team-svc")).as("pruned by the sync with prune").isEmpty();
    assertThat(new JsonObject(prune.body()).getJsonArray("conditions")).isEmpty();

    // A bad commit: YAML error. Nothing is deleted, the parent says why.
    repo.write("apps/web.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: [unclosed\n")
        .commit("broken");
    settle();
    assertThat(application("web")).isPresent();
    assertThat(application("team-root")).isPresent();
    assertThat(get(cp.projects().get("team-a"))).isPresent();
    JsonObject broken = children(BootstrapRoot.NAME);
    assertThat(conditionTypes(broken)).containsExactly("RenderError");
    assertThat(messages(broken)).contains("apps/web.yaml").contains("no child was changed");
  }

  @Test
  void manifestsThatSuddenlyDeclareNothingDeleteNothingWithoutAllowEmpty() throws Exception {
    repo.write("apps/web.yaml", app("web", "default", "web", "")).commit("one child");
    get(cp.bootstrap(new BootstrapSource(url, "HEAD", "apps")));
    settle();
    assertThat(application("web")).isPresent();

    repo.remove("apps/web.yaml").write("apps/README.md", "nothing here").commit("emptied");
    settle();

    assertThat(application("web")).isPresent();
    assertThat(messages(children(BootstrapRoot.NAME)))
        .contains("the manifests declare no child")
        .contains("allowEmpty: true");
  }

  @Test
  void ordinaryApplicationsAreNeitherRenderedNorRecorded() throws Exception {
    repo.write("apps/plain.yaml", TestRepo.configMap("plain", "k", "v"))
        .commit("no Argo CD objects");

    get(cp.bootstrap(new BootstrapSource(url, "HEAD", "apps")));
    settle();

    JsonObject root = children(BootstrapRoot.NAME);
    assertThat(root.getJsonArray("children")).isEmpty();
    assertThat(root.getJsonArray("conditions")).isEmpty();
  }
}
