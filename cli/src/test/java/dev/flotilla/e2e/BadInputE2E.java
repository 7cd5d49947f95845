package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a clear status or error, and nothing already deployed is deleted. */
class BadInputE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "hello"));
    repo.commit("first app");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  private String appSet(String name, String repoUrl, String... clusters) {
    return AppSets.appsOneOn(name, name, repoUrl, AppSets.automated(true, true), clusters);
  }

  @Test
  void anUnreachableRepositoryIsReportedAndDeletesNothing() throws Exception {
    fleet.apply(appSet("web", repo.url(), "east"));
    fleet.awaitSynced("web-east");
    ApplicationView before = fleet.application("web-east").orElseThrow();

    // The repository goes away: generation fails, and what was deployed stays as it was.
    Files.move(repo.dir(), tmp.resolve("repo-gone"));
    Fleet.get(fleet.controlPlane().controller().reconcile("web"));
    Fleet.get(fleet.controlPlane().poller().pollOnce());

    JsonObject status =
        Fleet.get(fleet.controlPlane().applicationSets().get("web")).orElseThrow().status();
    assertThat(status.getJsonArray("notes").encode())
        .contains("cannot fetch")
        .contains("kept its last revision");
    ApplicationView after = fleet.application("web-east").orElseThrow();
    assertThat(after.generation())
        .as("the Application is not changed")
        .isEqualTo(before.generation());
    assertThat(after.revision()).isEqualTo(before.revision());
    assertThat(fleet.configMap("east", "one", "one-config"))
        .as("nothing deployed is deleted")
        .isNotNull();

    // An Application whose repository the agent cannot fetch reports why.
    String ghostUrl = tmp.resolve("never-existed").toUri().toString();
    fleet.apply(appSet("ghost", ghostUrl, "east"));
    JsonObject ghost =
        Fleet.get(fleet.controlPlane().applicationSets().get("ghost")).orElseThrow().status();
    assertThat(ghost.getJsonArray("notes").encode()).contains("never-existed");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ApplicationView app = fleet.application("ghost-east").orElseThrow();
              assertThat(app.syncFailed()).isTrue();
              assertThat(app.message()).contains("never-existed");
            });
    assertThat(fleet.configMap("east", "one", "one-config")).isNotNull();
  }

  @Test
  void invalidYamlNamesTheFileAndDeletesNothing() throws Exception {
    fleet.apply(appSet("web", repo.url(), "east"));
    fleet.awaitSynced("web-east");

    repo.write("apps/one/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n");
    repo.write(
        "apps/one/config.yaml", configMap("one-config", "greeting", "should not be applied"));
    String sha = repo.commit("broken manifest");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ApplicationView app = fleet.application("web-east").orElseThrow();
              assertThat(app.syncFailed()).isTrue();
              assertThat(app.message()).contains("broken.yaml");
            });
    assertThat(fleet.configMap("east", "one", "one-config").getData())
        .as("a render that failed applies nothing and deletes nothing")
        .containsEntry("greeting", "hello");
    assertThat(sha).isNotEmpty();
  }

  @Test
  void anUnknownClusterIsReportedAndDoesNotBlockTheOthers() throws Exception {
    fleet.apply(appSet("web", repo.url(), "east", "nowhere"));
    fleet.awaitSynced("web-east");

    ApplicationView lost = fleet.application("web-nowhere").orElseThrow();
    assertThat(lost.cluster()).isNull();
    assertThat(lost.dispatchError()).contains("'nowhere'").contains("not registered");
    assertThat(fleet.configMap("east", "one", "one-config")).isNotNull();

    // Dropping the bad element later deletes only its own Application.
    fleet.apply(appSet("web", repo.url(), "east"));
    assertThat(fleet.application("web-nowhere")).isEmpty();
    assertThat(fleet.application("web-east")).isPresent();
    assertThat(fleet.configMap("east", "one", "one-config")).isNotNull();
  }

  private String goTemplateAppSet(String elements) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: strict
        spec:
          goTemplate: true
          goTemplateOptions: ["missingkey=error"]
          generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: 'strict-{{.app}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/one
              destination:
                name: east
                namespace: '{{.ns}}'
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(elements, repo.url());
  }

  @Test
  void aBadElementLeavesItsApplicationAsItWasAndDoesNotBlockTheOthers() throws Exception {
    fleet.apply(
        goTemplateAppSet(
            """
                      - app: a
                        ns: ns-a
                      - app: b
                        ns: ns-b
            """));
    fleet.awaitSynced("strict-a", "strict-b");
    long generationA = fleet.application("strict-a").orElseThrow().generation();

    // Element 0 loses the key its template needs; element 1 moves to another namespace.
    fleet.apply(
        goTemplateAppSet(
            """
                      - app: a
                      - app: b
                        ns: ns-b2
            """));

    JsonObject status =
        Fleet.get(fleet.controlPlane().applicationSets().get("strict")).orElseThrow().status();
    assertThat(status.getJsonArray("errors").encode()).contains("elements[0]");
    assertThat(fleet.application("strict-a").orElseThrow().generation())
        .as("the bad element's Application is left as it was")
        .isEqualTo(generationA);
    fleet.awaitSynced("strict-b");
    assertThat(fleet.configMap("east", "ns-b2", "one-config")).isNotNull();
    assertThat(fleet.configMap("east", "ns-a", "one-config")).isNotNull();
  }
}
