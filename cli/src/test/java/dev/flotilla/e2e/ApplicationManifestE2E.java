package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain Argo CD Application manifests from the CLI against a live fleet: `app create -f`, `app
 * apply -f DIR`, `app set`, and `app delete` with and without cascade, on a simulated cluster
 * registered as {@code in-cluster} and addressed as {@code https://kubernetes.default.svc}.
 */
class ApplicationManifestE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  private CliRunner.Run run(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  private String manifest(String name, String finalizers) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: %s
          namespace: argocd
        %s
        spec:
          project: default
          source:
            repoURL: %s
            targetRevision: main
            path: apps/%s
          destination:
            server: https://kubernetes.default.svc
            namespace: %s
          syncPolicy:
            automated:
              prune: true
            syncOptions:
              - CreateNamespace=true
        """
        .formatted(name, finalizers, repo.url(), name, name);
  }

  private boolean present(String app) {
    return fleet.configMap("in-cluster", app, app + "-config") != null;
  }

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/guestbook/config.yaml", configMap("guestbook-config", "greeting", "hello"));
    repo.write("apps/keeper/config.yaml", configMap("keeper-config", "greeting", "kept"));
    repo.commit("apps");
    fleet = new Fleet(tmp.resolve("fleet"), "in-cluster");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  @Test
  void manifestsAreCreatedAppliedChangedAndDeletedWithAndWithoutCascade() throws Exception {
    Path guestbook = tmp.resolve("guestbook.yaml");
    Files.writeString(guestbook, manifest("guestbook", ""));
    CliRunner.Run created = run("app", "create", "-f", guestbook.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("application 'guestbook' created");
    await().atMost(Duration.ofSeconds(30)).until(() -> present("guestbook"));
    fleet.awaitSynced("guestbook");
    assertThat(fleet.application("guestbook").orElseThrow().cluster()).isEqualTo("in-cluster");

    CliRunner.Run again = run("app", "create", "-f", guestbook.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("application 'guestbook' unchanged");

    // A directory: the same guestbook, a new app with the resources finalizer, a manifest with a
    // typo and a document of another kind.
    Path dir = Files.createDirectories(tmp.resolve("apps"));
    Files.writeString(dir.resolve("a-guestbook.yaml"), manifest("guestbook", ""));
    Files.writeString(
        dir.resolve("b-keeper.yml"),
        manifest("keeper", "  finalizers:\n    - resources-finalizer.argocd.argoproj.io"));
    Files.writeString(
        dir.resolve("c-bad.yaml"), manifest("bad", "").replace("targetRevision", "targetRevison"));
    Files.writeString(
        dir.resolve("d-project.yaml"),
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p\n");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    CliRunner.Run applied = run("app", "apply", "-f", dir.toString());
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isEqualTo(1);
    assertThat(applied.out())
        .contains("application.argoproj.io/guestbook unchanged")
        .contains("application.argoproj.io/keeper created");
    assertThat(applied.err())
        .contains("c-bad.yaml")
        .contains("spec.source.targetRevison: unknown field")
        .contains("did you mean 'targetRevision'")
        .contains("skipped")
        .contains("kind AppProject")
        .contains("1 manifest(s) failed");
    assertThat(fleet.application("bad")).isEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> present("keeper"));

    CliRunner.Run set = run("app", "set", "guestbook", "--sync-option", "PruneLast=true");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains("application 'guestbook' configured");
    assertThat(
            fleet
                .application("guestbook")
                .orElseThrow()
                .spec()
                .getJsonObject("syncPolicy")
                .getJsonArray("syncOptions"))
        .containsExactly("CreateNamespace=true", "PruneLast=true");

    CliRunner.Run noTerminal = run("app", "delete", "keeper");
    assertThat(noTerminal.exitCode()).isEqualTo(1);
    assertThat(noTerminal.err()).contains("pass -y");

    // keeper has the finalizer: --cascade=false must tell its agent to keep the resources.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleet.agent("in-cluster").statuses().containsKey("keeper"));
    CliRunner.Run kept = run("app", "delete", "keeper", "--cascade=false", "-y");
    assertThat(kept.exitCode()).as(kept.err()).isZero();
    assertThat(kept.out()).contains("application 'keeper' deleted");
    assertThat(fleet.application("keeper")).isEmpty();
    // The agent let go of it (it reports on it no more) and its resources are still there.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !fleet.agent("in-cluster").statuses().containsKey("keeper"));
    assertThat(present("keeper")).isTrue();

    // guestbook has none: the default cascade must tell its agent to delete them.
    CliRunner.Run gone = run("app", "delete", "guestbook", "-y");
    assertThat(gone.exitCode()).as(gone.err()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> !present("guestbook"));
    assertThat(fleet.application("guestbook")).isEmpty();
    assertThat(present("keeper")).isTrue();
  }
}
