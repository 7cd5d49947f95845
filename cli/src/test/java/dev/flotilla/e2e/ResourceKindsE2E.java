package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AppProject resource kinds (cluster/namespace white- and blacklists), which only the agent can
 * check because only it renders: a forbidden object means nothing of the Application is applied,
 * the status names the object, the project and the rule, and a project change re-sends the rules.
 * The same holds for an object whose own namespace the project's destinations do not permit.
 */
class ResourceKindsE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/web/config.yaml", configMap("web-config", "greeting", "hello"))
        .write(
            "apps/web/deploy.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
            """)
        .write("apps/rbac/config.yaml", configMap("rbac-config", "greeting", "hello"))
        .write(
            "apps/rbac/role.yaml",
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: rbac-reader
            rules: []
            """);
    repo.write("apps/team-a-escape/config.yaml", configMap("escape-config", "greeting", "hello"))
        .write(
            "apps/team-a-escape/deploy.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: kube-system
            spec:
              replicas: 1
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
    repo.commit("three apps");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request
            .header("Authorization", "Bearer " + fleet.controlPlane().adminToken().value())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> applyProject(String yaml) throws Exception {
    return send(
        HttpRequest.newBuilder(uri("/api/v1/projects"))
            .POST(HttpRequest.BodyPublishers.ofString(yaml)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + fleet.controlPlane().httpPort() + path);
  }

  /** Project team-a: any repository and destination, plus the given resource lists. */
  private static String project(String resourceLists) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: team-a
        spec:
          sourceRepos: ['*']
          destinations:
            - name: '*'
              namespace: '*'
        %s"""
        .formatted(resourceLists.indent(2));
  }

  private String app(String path, String project) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: '%s'
            spec:
              project: %s
              source:
                repoURL: %s
                targetRevision: main
                path: apps/%s
              destination:
                name: east
                namespace: %s
              syncPolicy:
                automated:
                  prune: true
                  selfHeal: true
        """
        .formatted(path, path, project, repo.url(), path, path);
  }

  /** Waits until the agent reports a failed sync of the current generation, and returns it. */
  private ApplicationView awaitRefused(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                fleet
                    .application(name)
                    .map(a -> a.syncFailed() && a.statusGeneration() >= a.generation())
                    .orElse(false));
    return fleet.application(name).orElseThrow();
  }

  private List<String> writes() {
    return fleet.cluster("east").drainRequests().stream()
        .filter(r -> !r.startsWith("GET"))
        .toList();
  }

  @Test
  void aBlacklistedKindIsNeverAppliedUntilTheProjectAllowsIt() throws Exception {
    assertThat(
            applyProject(
                    project(
                        """
                        namespaceResourceBlacklist:
                          - group: apps
                            kind: Deployment
                        """))
                .statusCode())
        .isEqualTo(200);
    fleet.cluster("east").drainRequests();
    fleet.apply(app("web", "team-a"));

    ApplicationView refused = awaitRefused("web");

    assertThat(refused.message())
        .contains("resource apps:Deployment web/web is not permitted in project 'team-a'")
        .contains("namespaceResourceBlacklist entry {group: 'apps', kind: 'Deployment'}");
    assertThat(refused.resources().encode()).contains("not permitted in project 'team-a'");
    assertThat(writes()).as("not even the permitted ConfigMap is written").isEmpty();
    assertThat(fleet.configMap("east", "web", "web-config")).isNull();

    // The project now allows it: the agent is sent the new rules and applies everything.
    long generationBefore = refused.generation();
    assertThat(applyProject(project("namespaceResourceBlacklist: []")).statusCode()).isEqualTo(200);
    fleet.awaitSynced("web");
    assertThat(fleet.application("web").orElseThrow().generation()).isGreaterThan(generationBefore);
    assertThat(fleet.configMap("east", "web", "web-config")).isNotNull();
    assertThat(
            fleet
                .cluster("east")
                .client()
                .apps()
                .deployments()
                .inNamespace("web")
                .withName("web")
                .get())
        .isNotNull();
  }

  @Test
  void withoutAClusterWhitelistClusterScopedKindsAreRefusedAndGlobsPermitThem() throws Exception {
    applyProject(project("namespaceResourceWhitelist: [{group: '', kind: '*'}]"));
    fleet.apply(app("rbac", "team-a"));

    ApplicationView refused = awaitRefused("rbac");

    assertThat(refused.message())
        .contains(
            "resource rbac.authorization.k8s.io:ClusterRole rbac-reader is not permitted in"
                + " project 'team-a'")
        .contains("no clusterResourceWhitelist entries");
    assertThat(fleet.cluster("east").client().rbac().clusterRoles().withName("rbac-reader").get())
        .isNull();
    assertThat(fleet.configMap("east", "rbac", "rbac-config")).isNull();

    applyProject(
        project(
            """
            namespaceResourceWhitelist: [{group: '', kind: '*'}]
            clusterResourceWhitelist: [{group: 'rbac.*', kind: 'Cluster*'}]
            """));
    fleet.awaitSynced("rbac");
    assertThat(fleet.cluster("east").client().rbac().clusterRoles().withName("rbac-reader").get())
        .isNotNull();

    // The rules are part of what the agent holds: a reconnect with nothing changed writes nothing.
    fleet.stopAgent("east");
    fleet.cluster("east").drainRequests();
    fleet.startAgent("east");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet.agent("east").isConnected()
                    && fleet.agent("east").statuses().containsKey("rbac"));
    fleet.awaitSynced("rbac");
    assertThat(writes()).as("a reconnected agent re-applies nothing").isEmpty();

    // Narrowing again (a blacklist overrides the whitelist glob) stops the next sync, without
    // pruning what was applied.
    applyProject(
        project(
            """
            namespaceResourceWhitelist: [{group: '', kind: '*'}]
            clusterResourceWhitelist: [{group: '*', kind: '*'}]
            clusterResourceBlacklist: [{group: 'rbac.authorization.k8s.io', kind: 'ClusterRole'}]
            """));
    assertThat(awaitRefused("rbac").message()).contains("clusterResourceBlacklist");
    assertThat(fleet.cluster("east").client().rbac().clusterRoles().withName("rbac-reader").get())
        .as("refusing never prunes")
        .isNotNull();
  }

  @Test
  void theUndefinedDefaultProjectPermitsEveryKind() throws Exception {
    fleet.apply(app("rbac", "default"));
    fleet.awaitSynced("rbac");
    assertThat(fleet.cluster("east").client().rbac().clusterRoles().withName("rbac-reader").get())
        .isNotNull();
  }

  @Test
  void badResourceListsAreRefusedNamingTheFieldAndTheStoredProjectStays() throws Exception {
    String good = project("clusterResourceWhitelist: [{group: '', kind: Namespace}]");
    assertThat(applyProject(good).statusCode()).isEqualTo(200);
    JsonObject stored =
        new JsonObject(send(HttpRequest.newBuilder(uri("/api/v1/projects/team-a")).GET()).body());

    record Bad(String lists, String error) {}
    for (Bad bad :
        List.of(
            new Bad(
                "clusterResourceWhitelist: [{group: ''}]",
                "spec.clusterResourceWhitelist[0].kind: required"),
            new Bad(
                "namespaceResourceBlacklist: [{group: apps, kind: Deployment}, {kind: Job}]",
                "spec.namespaceResourceBlacklist[1].group: required"),
            new Bad(
                "namespaceResourceWhitelist: {group: apps, kind: '*'}",
                "spec.namespaceResourceWhitelist: must be a list"),
            new Bad(
                "clusterResourceBlacklist: ['Namespace']",
                "spec.clusterResourceBlacklist[0]: must be a mapping"),
            new Bad(
                "clusterResourceWhitelist: [{group: '', kind: '[Namespace'}]",
                "spec.clusterResourceWhitelist[0].kind: '[Namespace' is not a valid pattern"),
            new Bad(
                "clusterResourceWhitelist: [{group: '', kind: Namespace, name: 7}]",
                "spec.clusterResourceWhitelist[0].name: must be a string"))) {
      HttpResponse<String> r = applyProject(project(bad.lists()));
      assertThat(r.statusCode()).as(bad.lists()).isEqualTo(400);
      assertThat(r.body()).as(bad.lists()).contains(bad.error());
    }
    assertThat(
            new JsonObject(
                send(HttpRequest.newBuilder(uri("/api/v1/projects/team-a")).GET()).body()))
        .isEqualTo(stored);
  }

  /** Project team-a: any repository and kind, the given destination namespaces on cluster east. */
  private static String projectWithNamespaces(String... namespaces) {
    StringBuilder destinations = new StringBuilder();
    for (String ns : namespaces) {
      destinations.append("    - name: east\n      namespace: '").append(ns).append("'\n");
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: team-a
        spec:
          sourceRepos: ['*']
          destinations:
        %s"""
        .formatted(destinations);
  }

  @Test
  void anObjectInANamespaceOutsideTheProjectIsNeverAppliedUntilTheProjectAllowsIt()
      throws Exception {
    assertThat(applyProject(projectWithNamespaces("team-a-*")).statusCode()).isEqualTo(200);
    fleet.cluster("east").drainRequests();
    // The Application's own destination (team-a-escape) is permitted; one manifest is not.
    fleet.apply(app("team-a-escape", "team-a"));

    ApplicationView refused = awaitRefused("team-a-escape");

    assertThat(refused.message())
        .contains(
            "resource apps:Deployment kube-system/web: namespace kube-system is not permitted in"
                + " project 'team-a'");
    assertThat(refused.resources().encode())
        .contains("namespace kube-system is not permitted in project 'team-a'");
    assertThat(writes()).as("not even the permitted ConfigMap is written").isEmpty();
    assertThat(fleet.configMap("east", "team-a-escape", "escape-config")).isNull();

    // Widening the destinations re-sends the Application, and everything is applied.
    long generationBefore = refused.generation();
    assertThat(applyProject(projectWithNamespaces("team-a-*", "kube-system")).statusCode())
        .isEqualTo(200);
    fleet.awaitSynced("team-a-escape");
    assertThat(fleet.application("team-a-escape").orElseThrow().generation())
        .isGreaterThan(generationBefore);
    assertThat(fleet.configMap("east", "team-a-escape", "escape-config")).isNotNull();
    assertThat(
            fleet
                .cluster("east")
                .client()
                .apps()
                .deployments()
                .inNamespace("kube-system")
                .withName("web")
                .get())
        .isNotNull();

    // Destinations are part of what the agent holds: a reconnect with nothing changed writes
    // nothing, and re-applying the same destinations re-sends nothing.
    long generationAfter = fleet.application("team-a-escape").orElseThrow().generation();
    assertThat(applyProject(projectWithNamespaces("team-a-*", "kube-system")).statusCode())
        .isEqualTo(200);
    fleet.stopAgent("east");
    fleet.cluster("east").drainRequests();
    fleet.startAgent("east");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet.agent("east").isConnected()
                    && fleet.agent("east").statuses().containsKey("team-a-escape"));
    fleet.awaitSynced("team-a-escape");
    assertThat(writes()).as("a reconnected agent re-applies nothing").isEmpty();
    assertThat(fleet.application("team-a-escape").orElseThrow().generation())
        .isEqualTo(generationAfter);
  }
}
