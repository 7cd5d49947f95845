package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.CliRunner;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.testkit.TestRepo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla app wait} and {@code app refresh --hard} against a live fleet: an agent on a
 * simulated cluster, a Git repository, and a control plane that polls Git only when asked (so what
 * a refresh does is visible).
 */
class AppWaitRefreshE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "v1", "v1");
    fleet = new Fleet(tmp.resolve("fleet"), Duration.ofHours(1), "east");
    // Manual sync: nothing is applied until asked, so the Application stays OutOfSync meanwhile.
    fleet.apply(AppSets.appsOneOn("manual", "one", repo.url(), "", "east"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet
                    .application("one-east")
                    .map(a -> "OutOfSync".equals(a.syncStatus()))
                    .orElse(false));
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  private CliRunner.Run run(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  private String greeting() {
    var cm = fleet.configMap("east", "one", "one-config");
    return cm == null ? null : cm.getData().get("greeting");
  }

  @Test
  void waitForSyncAndHealthTimesOutUntilSyncedThenSucceeds() throws Exception {
    CliRunner.Run early = run("app", "wait", "one-east", "--sync", "--health", "--timeout", "2");
    assertThat(early.exitCode()).isEqualTo(1);
    assertThat(early.out()).isEmpty();
    assertThat(early.err())
        .contains("error: timed out (2s) waiting for application one-east:")
        .contains("sync is OutOfSync (want Synced)");

    CliRunner.Run sync = run("app", "sync", "one-east", "-o", "json");
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(new ObjectMapper().readTree(sync.out()).get("sync").asText()).isEqualTo("requested");

    // Blocks on the control plane's stream until the agent reports the sync and the health.
    CliRunner.Run done = run("app", "wait", "one-east", "--sync", "--health", "--timeout", "60");
    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(done.out()).contains("one-east").contains("Synced").contains("Healthy");
    assertThat(greeting()).isEqualTo("v1");

    CliRunner.Run all = run("app", "wait", "one-east", "--timeout", "60", "-o", "json");
    assertThat(all.exitCode())
        .as("the default: sync, health and no operation; " + all.err())
        .isZero();
    assertThat(new ObjectMapper().readTree(all.out()).at("/items/0/syncStatus").asText())
        .isEqualTo("Synced");
  }

  @Test
  void hardRefreshResolvesTheNewCommitBeforeItAnswersAndTheAgentComparesWithIt() throws Exception {
    assertThat(run("app", "sync", "one-east").exitCode()).isZero();
    fleet.awaitSynced("one-east");
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
    String v2 = repo.commit("v2");

    CliRunner.Run refresh = run("app", "refresh", "one-east", "--hard");

    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out()).isEqualTo("hard refresh of one-east requested\n");
    // (err also holds the in-process control plane's log lines: only the CLI's own note counts)
    assertThat(refresh.err()).as("its agent is connected").doesNotContain("note: the agent of");
    StoredApplication stored =
        Fleet.get(fleet.controlPlane().applications().listAll()).stream()
            .filter(a -> a.name().equals("one-east"))
            .findFirst()
            .orElseThrow();
    assertThat(stored.revision())
        .as("resolved again before the answer (Git is otherwise polled hourly here)")
        .isEqualTo(v2);
    fleet.awaitRevision(v2, "one-east");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "OutOfSync".equals(fleet.application("one-east").orElseThrow().syncStatus()));
    assertThat(greeting()).as("a refresh applies nothing for a manual sync policy").isEqualTo("v1");
  }
}
