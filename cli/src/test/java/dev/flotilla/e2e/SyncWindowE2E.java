package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * AppProject sync windows end to end: an active deny window holds a new commit back from an
 * automated Application and refuses a manual sync naming the window, {@code manualSync: true} lets
 * a manual sync through, and removing the window lets automated sync apply the newest commit.
 */
class SyncWindowE2E extends OneRepoFleetE2EBase {

  SyncWindowE2E() {
    super("v1", "v1");
  }

  /** The default project, allowing everything, with these sync windows (YAML list items). */
  private static String defaultProject(String windows) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: default
        spec:
          sourceRepos: ['*']
          destinations:
            - {name: '*', server: '*', namespace: '*'}
        """
        + (windows.isEmpty() ? "" : "  syncWindows:\n" + windows);
  }

  private static final String DENY_NOW =
      "    - {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['one-*']}\n";

  private String greeting() {
    var cm = fleet.configMap("east", "one", "one-config");
    return cm == null ? null : cm.getData().get("greeting");
  }

  private void awaitHeldBack(String sha) {
    fleet.awaitRevision(sha, "one-east");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var app = fleet.application("one-east").orElseThrow();
              assertThat(app.syncStatus()).isEqualTo("OutOfSync");
              assertThat(app.message())
                  .contains("automated sync blocked: sync window deny '* * * * *' (1h) is active");
            });
  }

  @Test
  void anActiveDenyWindowHoldsCommitsBackAndRefusesManualSyncUntilRemoved() throws Exception {
    fleet.apply(
        AppSets.appsOneOn(
            "one", "one", repo.url(), "      syncPolicy:\n        automated: {}\n", "east"));
    fleet.awaitSynced("one-east");
    assertThat(greeting()).isEqualTo("v1");

    // Invalid windows are refused naming the field, and nothing is stored.
    HttpResponse<String> bad =
        fleet.rest(
            "PUT",
            "/api/v1/projects/default",
            defaultProject(
                DENY_NOW
                    + "    - {kind: deny, schedule: '0 25 * * *', duration: 1h,"
                    + " applications: ['*']}\n"));
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("spec.syncWindows[1].schedule: hour");
    assertThat(fleet.rest("GET", "/api/v1/projects/default", "").statusCode()).isEqualTo(404);

    HttpResponse<String> deny =
        fleet.rest("PUT", "/api/v1/projects/default", defaultProject(DENY_NOW));
    assertThat(deny.statusCode()).as(deny.body()).isEqualTo(200);

    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
    String v2 = repo.commit("v2");
    awaitHeldBack(v2);
    assertThat(greeting())
        .as("a new commit is not applied while the window is closed")
        .isEqualTo("v1");

    HttpResponse<String> refused = fleet.rest("POST", "/api/v1/applications/one-east/sync", "");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body())
        .contains("sync window deny '* * * * *' (1h) is active")
        .contains("manual sync is not allowed");

    // manualSync: true lets a manual sync through; automated sync stays held.
    fleet.rest(
        "PUT",
        "/api/v1/projects/default",
        defaultProject(DENY_NOW.replace("applications:", "manualSync: true, applications:")));
    HttpResponse<String> manual = fleet.rest("POST", "/api/v1/applications/one-east/sync", "");
    assertThat(manual.statusCode()).as(manual.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(greeting()));

    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v3"));
    String v3 = repo.commit("v3");
    awaitHeldBack(v3);
    assertThat(greeting()).isEqualTo("v2");

    HttpResponse<String> open = fleet.rest("PUT", "/api/v1/projects/default", defaultProject(""));
    assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v3".equals(greeting()));
    fleet.awaitSynced("one-east");
  }
}
