package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.git.GitLimits;
import dev.flotilla.testkit.HangingGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Git server that accepts connections and never answers: the Application and ApplicationSet that
 * read it say they timed out (within the configured Git timeout), and an Application on a healthy
 * repository keeps syncing meanwhile, on the control plane and on the agent.
 */
class HungGitServerE2E {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path tmp;

  @Test
  void aHungRepositoryTimesOutItsOwnApplicationAndBlocksNoOther() throws Exception {
    TestRepo healthy = AppSets.appsOneRepo(tmp.resolve("healthy"), "v1", "v1");
    try (HangingGitServer hung = new HangingGitServer();
        Fleet fleet =
            new Fleet(tmp.resolve("fleet"), new GitLimits(TIMEOUT, 64L << 20, 10_000), "east")) {
      String hungUrl = hung.url("http", "stuck.git");
      fleet.apply(
          AppSets.appsOneOn("ok", "ok", healthy.url(), AppSets.automated(true, false), "east"));
      fleet.awaitSynced("ok-east");

      // An Application on the hung repository (its ApplicationSet's list generator needs no Git),
      // and an ApplicationSet whose git generator reads it.
      fleet.apply(
          AppSets.appsOneOn("stuck", "stuck", hungUrl, AppSets.automated(true, false), "east"));
      fleet.apply(PrivateRepositoryE2E.directories("stuck-dirs", hungUrl, "east"));

      // The healthy one keeps syncing while the hung server holds connections open.
      healthy.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
      String sha = healthy.commit("v2");
      Fleet.get(fleet.controlPlane().poller().pollOnce());
      fleet.awaitRevision(sha, "ok-east");
      assertThat(fleet.configMap("east", "one", "one-config").getData())
          .containsEntry("greeting", "v2");

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ApplicationView stuck = fleet.application("stuck-east").orElseThrow();
                assertThat(stuck.syncFailed()).isTrue();
                assertThat(stuck.message())
                    .contains(hungUrl)
                    .contains("timed out after " + TIMEOUT.toSeconds() + "s");
              });
      JsonObject status =
          Fleet.get(fleet.controlPlane().applicationSets().get("stuck-dirs"))
              .orElseThrow()
              .status();
      assertThat(status.encode()).contains(hungUrl).contains("timed out");
      assertThat(fleet.applications())
          .as("the git generator that timed out generated nothing and deleted nothing")
          .extracting(ApplicationView::name)
          .containsExactlyInAnyOrder("ok-east", "stuck-east");
      assertThat(hung.accepted()).isPositive();
      fleet.awaitSynced("ok-east");
    }
  }
}
