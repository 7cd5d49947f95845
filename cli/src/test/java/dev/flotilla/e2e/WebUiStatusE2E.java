package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.TestRepo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Application page's status panel in a real browser: the commit the agent rendered (author and
 * subject), a condition when the Application is broken, and the project's deny window active now.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiStatusE2E {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeAll
  void startFleet() throws Exception {
    Browser.assumeInstalled();
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "v1", "Greet the world in v1\n\nWhy: tests.");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.apply(
        AppSets.appsOneOn("good", "good", repo.url(), AppSets.automated(true, false), "east"));
    fleet.apply(
        AppSets.appsOneOn("broken", "broken", repo.url(), "", "east")
            .replace("path: apps/one", "path: apps/missing"));
    fleet.awaitSynced("good-east");
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  @Test
  void statusPanelShowsTheCommitAConditionAndAnActiveDenyWindow() throws Exception {
    HttpResponse<String> project =
        fleet.rest(
            "PUT",
            "/api/v1/projects/default",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata:
              name: default
            spec:
              sourceRepos: ['*']
              destinations:
                - {name: '*', server: '*', namespace: '*'}
              syncWindows:
                - {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['good-*']}
            """);
    assertThat(project.statusCode()).as(project.body()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(() -> fleet.application("broken-east").map(a -> a.syncFailed()).orElse(false));

    try (Browser browser = new Browser("http://127.0.0.1:" + fleet.controlPlane().httpPort())) {
      browser.open("/applications/good-east").login(fleet.controlPlane().adminToken().value());
      assertThat(browser.text("#commit .commit-author")).isEqualTo("test");
      assertThat(browser.text("#commit .commit-subject")).isEqualTo("Greet the world in v1");
      assertThat(browser.text("#commit code")).hasSize(7);
      assertThat(browser.text("#sync-window")).contains("Deny window active now");
      assertThat(browser.text("#sync-window"))
          .contains("Sync denied by window deny '* * * * *' (1h), active since");
      assertThat(browser.all("#conditions")).isEmpty();
      browser.screenshot("application-status-window");

      browser.open("/applications/broken-east");
      assertThat(browser.text("#conditions")).contains("ComparisonError").contains("apps/missing");
      assertThat(browser.text("#conditions")).contains("since");
      assertThat(browser.text("#commit .commit-subject"))
          .as("the commit whose render failed")
          .isEqualTo("Greet the world in v1");
      assertThat(browser.all("#sync-window")).as("the window names good-* only").isEmpty();
      browser.screenshot("application-status-condition");
    }
  }
}
