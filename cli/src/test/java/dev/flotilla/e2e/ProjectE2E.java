package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** AppProject sourceRepos and destinations, enforced at generation and at dispatch. */
class ProjectE2E extends OneRepoFleetE2EBase {

  ProjectE2E() {
    super("hello", "first app");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return fleet.rest("POST", path, body);
  }

  private String project(String sourceRepo, String namespace) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: team-a
        spec:
          sourceRepos:
            - '%s'
          destinations:
            - name: '*'
              namespace: '%s'
            - name: '*'
              namespace: '!kube-system'
        """
        .formatted(sourceRepo, namespace);
  }

  private String appSet(String namespaces) {
    StringBuilder elements = new StringBuilder();
    for (String ns : namespaces.split(",")) {
      elements.append("          - ns: ").append(ns).append('\n');
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: team-a
        spec:
          generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: 'one-{{ns}}'
            spec:
              project: team-a
              source:
                repoURL: %s
                targetRevision: main
                path: apps/one
              destination:
                name: east
                namespace: '{{ns}}'
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(elements, repo.url());
  }

  @Test
  void applicationsOutsideTheirProjectAreNeverStoredOrDispatched() throws Exception {
    assertThat(post("/api/v1/projects", project(repo.url(), "*")).statusCode()).isEqualTo(200);
    fleet.apply(appSet("shop,kube-system"));

    fleet.awaitSynced("one-shop");
    assertThat(fleet.application("one-kube-system")).as("denied by '!kube-system'").isEmpty();
    var status =
        Fleet.get(fleet.controlPlane().applicationSets().get("team-a")).orElseThrow().status();
    assertThat(status.getJsonArray("errors").encode())
        .contains("one-kube-system")
        .contains("team-a");
    assertThat(fleet.configMap("east", "kube-system", "one-config")).isNull();
  }

  @Test
  void anUnknownProjectOrForeignRepositoryIsRefusedByName() throws Exception {
    assertThat(
            post("/api/v1/projects", project("https://git.example.com/team-a/*", "*")).statusCode())
        .isEqualTo(200);
    fleet.apply(appSet("shop"));
    fleet.apply(
        appSet("shop")
            .replace("name: team-a\nspec:", "name: ghost\nspec:")
            .replace("project: team-a", "project: nobody")
            .replace("'one-{{ns}}'", "'ghost-{{ns}}'"));

    assertThat(fleet.application("one-shop")).isEmpty();
    assertThat(fleet.application("ghost-shop")).isEmpty();
    assertThat(
            Fleet.get(fleet.controlPlane().applicationSets().get("team-a"))
                .orElseThrow()
                .status()
                .encode())
        .contains("source");
    assertThat(
            Fleet.get(fleet.controlPlane().applicationSets().get("ghost"))
                .orElseThrow()
                .status()
                .encode())
        .contains("project 'nobody' does not exist");
  }

  @Test
  void narrowingAProjectStopsDispatchButLeavesWhatIsDeployed() throws Exception {
    post("/api/v1/projects", project(repo.url(), "*"));
    fleet.apply(appSet("shop"));
    fleet.awaitSynced("one-shop");

    // The project no longer allows the namespace: the agent lets go of the Application, keeps its
    // objects.
    // (Not with a '!' entry: in Argo CD an entry like namespace '!kube-system' also allows every
    // other.)
    String narrowed =
        project(repo.url(), "billing")
            .replace("    - name: '*'\n      namespace: '!kube-system'\n", "");
    assertThat(narrowed).doesNotContain("kube-system");
    assertThat(post("/api/v1/projects", narrowed).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !fleet.agent("east").statuses().containsKey("one-shop"));
    assertThat(fleet.application("one-shop").orElseThrow().dispatchError()).contains("team-a");
    assertThat(fleet.configMap("east", "shop", "one-config")).isNotNull();
    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("shop")
        .withName("one-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", "not managed any more");
              return cm;
            });
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                "not managed any more"
                    .equals(
                        fleet.configMap("east", "shop", "one-config").getData().get("greeting")));

    // Widening it again hands the Application back.
    post("/api/v1/projects", project(repo.url(), "*"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fleet.agent("east").statuses().containsKey("one-shop"));
    fleet.awaitSynced("one-shop");
  }

  @Test
  void badProjectsAreRefusedNamingTheField() throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/projects",
            project(repo.url(), "*")
                .replace("sourceRepos:\n    - '" + repo.url() + "'", "sourceRepos: nope"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("spec.sourceRepos");
    HttpResponse<String> kind =
        post(
            "/api/v1/projects",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\n");
    assertThat(kind.statusCode()).isEqualTo(400);
    assertThat(kind.body()).contains("kind");
    HttpResponse<String> bomb =
        post(
            "/api/v1/projects",
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n");
    assertThat(bomb.statusCode()).isEqualTo(400);

    post("/api/v1/projects", project(repo.url(), "*"));
    fleet.apply(appSet("shop"));
    HttpResponse<String> inUse = fleet.rest("DELETE", "/api/v1/projects/team-a", null);
    assertThat(inUse.statusCode()).isEqualTo(409);
    assertThat(inUse.body()).contains("used by 1 Application");
  }
}
