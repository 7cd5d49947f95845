package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.testkit.TestRepo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-call engineer's commands against a live fleet: `flotilla drift` and `flotilla app get`.
 */
class CliE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  private CliRunner.Run run(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/web/config.yaml", configMap("web-config", "greeting", "hello"));
    repo.commit("web");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.apply(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: web
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: 'web-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/web
              destination:
                name: '{{cluster}}'
                namespace: web
              syncPolicy:
                automated:
                  prune: true
                  selfHeal: true
        """
            .formatted(repo.url()));
    fleet.awaitSynced("web-east");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  @Test
  void driftShowsWhatChangedWhenAndWhetherItWasReverted() {
    CliRunner.Run none = run("drift");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).contains("no drift");

    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("web")
        .withName("web-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", "edited at 3 a.m.");
              return cm;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              CliRunner.Run table = run("drift");
              assertThat(table.exitCode()).isZero();
              assertThat(table.out())
                  .contains("web-east")
                  .contains("ConfigMap/web/web-config")
                  .contains("/data/greeting")
                  .contains("healed by self-heal");
            });
    CliRunner.Run csv = run("drift", "-o", "csv", "--cluster", "east");
    assertThat(csv.out()).startsWith("cluster,").contains("edited at 3 a.m.");
    CliRunner.Run bad = run("drift", "-o", "xml");
    assertThat(bad.exitCode()).as("a usage error, as for every command's -o").isEqualTo(2);
    assertThat(bad.err()).contains("--output").contains("[table, json, yaml, csv]");
  }

  @Test
  void appGetShowsStatusAndEveryManagedObject() {
    CliRunner.Run get = run("app", "get", "web-east");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out())
        .contains("cluster:     east")
        .contains("Synced")
        .contains("ConfigMap")
        .contains("web-config");
    CliRunner.Run missing = run("app", "get", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("application 'nope' not found");
    assertThat(missing.out()).isEmpty();
  }
}
