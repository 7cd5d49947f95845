package dev.flotilla.e2e;

import static dev.flotilla.controlplane.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.FlotillaCli;
import dev.flotilla.controlplane.TestRepo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api";
    all[args.length + 1] = "http://127.0.0.1:" + fleet.controlPlane().httpPort();
    all[args.length + 2] = "--token";
    all[args.length + 3] = fleet.controlPlane().adminToken().value();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = FlotillaCli.commandLine().execute(all);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
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
    Run none = run("drift");
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
              Run table = run("drift");
              assertThat(table.exitCode()).isZero();
              assertThat(table.out())
                  .contains("web-east")
                  .contains("ConfigMap/web/web-config")
                  .contains("/data/greeting")
                  .contains("reverted");
            });
    Run csv = run("drift", "-o", "csv", "--cluster", "east");
    assertThat(csv.out()).startsWith("cluster,").contains("edited at 3 a.m.");
    Run bad = run("drift", "-o", "xml");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("--output");
  }

  @Test
  void appGetShowsStatusAndEveryManagedObject() {
    Run get = run("app", "get", "web-east");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out())
        .contains("cluster:     east")
        .contains("Synced")
        .contains("ConfigMap")
        .contains("web-config");
    Run missing = run("app", "get", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("application 'nope' not found");
    assertThat(missing.out()).isEmpty();
  }
}
