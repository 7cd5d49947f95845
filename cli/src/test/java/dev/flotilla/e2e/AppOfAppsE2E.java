package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.controlplane.appofapps.AppOfAppsFeature;
import dev.flotilla.controlplane.appofapps.BootstrapSource;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App of Apps end to end: a control plane set up from Git by its bootstrap root, whose child
 * Application is synced by the agent of a simulated cluster. The child's own manifests hold an Argo
 * CD AppProject too: the control plane takes it, and the agent applies the rest without it.
 */
class AppOfAppsE2E {

  @TempDir Path tmp;

  @Test
  void aRootAppsChildApplicationIsSyncedByItsAgent() throws Exception {
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), "east")) {
      repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "hello"))
          .write(
              "apps/one/project.yaml",
              """
              apiVersion: argoproj.io/v1alpha1
              kind: AppProject
              metadata:
                name: one-extras
                namespace: argocd
              spec:
                sourceRepos: ['*']
              """)
          .write(
              "root/one.yaml",
              """
              apiVersion: argoproj.io/v1alpha1
              kind: Application
              metadata:
                name: one
                namespace: argocd
              spec:
                project: default
                source:
                  repoURL: %s
                  targetRevision: main
                  path: apps/one
                destination:
                  name: east
                  namespace: one
                syncPolicy:
                  automated: {prune: true, selfHeal: true}
              """
                  .formatted(repo.url()));
      repo.commit("a root and one app");

      Fleet.get(fleet.controlPlane().bootstrap(new BootstrapSource(repo.url(), "main", "root")));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var cm = fleet.configMap("east", "one", "one-config");
                return cm != null && "hello".equals(cm.getData().get("greeting"));
              });
      fleet.awaitSynced("one");
      var repository = fleet.controlPlane().appOfApps().repository();
      assertThat(Fleet.get(repository.parentOf(ChildKind.APPLICATION, "one")))
          .contains(AppOfAppsFeature.BOOTSTRAP_APPLICATION);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Fleet.get(repository.parentOf(ChildKind.APP_PROJECT, "one-extras"))
                      .filter("one"::equals)
                      .isPresent());
      assertThat(fleet.application("one").orElseThrow().resources().encode())
          .contains("one-config")
          .doesNotContain("AppProject");

      HttpResponse<String> children =
          fleet.rest(
              "GET",
              "/api/v1/applications/" + AppOfAppsFeature.BOOTSTRAP_APPLICATION + "/children",
              null);
      assertThat(children.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(children.body()).getJsonArray("children").encode())
          .contains("{\"kind\":\"Application\",\"name\":\"one\"}");

      CliRunner.Run get =
          CliRunner.runAgainst(
              "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
              fleet.controlPlane().adminToken().value(),
              "app",
              "get",
              AppOfAppsFeature.BOOTSTRAP_APPLICATION);
      assertThat(get.exitCode()).as(get.err()).isZero();
      assertThat(get.out())
          .contains("not dispatched: read by the control plane only")
          .contains("Children (App of Apps):")
          .containsPattern("Application\\s+one");
    }
  }
}
