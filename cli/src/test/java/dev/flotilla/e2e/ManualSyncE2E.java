package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.TestRepo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manual sync and rollback on request, and cluster relabelling that moves Applications. */
class ManualSyncE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "v1", "v1");
    fleet = new Fleet(tmp.resolve("fleet"), "east", "west");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  private String manualApp(boolean automated) {
    String syncPolicy = automated ? "      syncPolicy:\n        automated: {}\n" : "";
    return AppSets.appsOneOn("manual", "one", repo.url(), syncPolicy, "east");
  }

  private String greeting() {
    var cm = fleet.configMap("east", "one", "one-config");
    return cm == null ? null : cm.getData().get("greeting");
  }

  @Test
  void withoutAutomatedSyncNothingIsAppliedUntilAskedAndRollbackWorks() throws Exception {
    fleet.apply(manualApp(false));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                fleet
                    .application("one-east")
                    .map(a -> "OutOfSync".equals(a.syncStatus()))
                    .orElse(false));
    assertThat(greeting()).as("manual sync policy: nothing applied yet").isNull();

    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(greeting()));
    fleet.awaitSynced("one-east");
    String v1 = fleet.application("one-east").orElseThrow().revision();

    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
    String v2 = repo.commit("v2");
    fleet.awaitRevision(v2, "one-east");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "OutOfSync".equals(fleet.application("one-east").orElseThrow().syncStatus()));
    assertThat(greeting()).isEqualTo("v1");

    HttpResponse<String> sync = fleet.rest("POST", "/api/v1/applications/one-east/sync", "");
    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(greeting()));

    HttpResponse<String> rollback =
        fleet.rest("POST", "/api/v1/applications/one-east/sync", "{\"revision\":\"" + v1 + "\"}");
    assertThat(rollback.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(greeting()));
  }

  @Test
  void rollbackOfAnAutomatedApplicationIsRefusedWithTheReason() throws Exception {
    fleet.apply(manualApp(true));
    fleet.awaitSynced("one-east");
    HttpResponse<String> r =
        fleet.rest(
            "POST",
            "/api/v1/applications/one-east/sync",
            "{\"revision\":\"0123456789abcdef0123456789abcdef01234567\"}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("automated");
    HttpResponse<String> missing = fleet.rest("POST", "/api/v1/applications/nope/sync", "");
    assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
  }

  @Test
  void relabellingClustersMovesApplications() throws Exception {
    fleet.apply(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: web-tier
        spec:
          generators:
            - clusters:
                selector:
                  matchLabels:
                    tier: web
          template:
            metadata:
              name: 'web-{{name}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/one
              destination:
                name: '{{name}}'
                namespace: web
              syncPolicy:
                automated:
                  prune: true
        """
            .formatted(repo.url()));
    assertThat(fleet.applications()).isEmpty();

    for (String cluster : new String[] {"east", "west"}) {
      HttpResponse<String> r =
          fleet.rest(
              "PUT",
              "/api/v1/clusters/" + cluster,
              "{\"labels\":{\"env\":\"" + cluster + "\",\"tier\":\"web\"}}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    fleet.awaitSynced("web-east", "web-west");
    assertThat(fleet.configMap("west", "web", "one-config")).isNotNull();

    fleet.rest("PUT", "/api/v1/clusters/west", "{\"labels\":{\"env\":\"west\"}}");
    await().atMost(Duration.ofSeconds(20)).until(() -> fleet.application("web-west").isEmpty());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(fleet.configMap("west", "web", "one-config"))
                    .as("pruned with its Application")
                    .isNull());
    assertThat(fleet.application("web-east")).isPresent();

    assertThat(fleet.rest("PUT", "/api/v1/clusters/nope", "{\"labels\":{}}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRefreshComparesAgainButAppliesNothingForAManualApplication() throws Exception {
    fleet.apply(manualApp(false));
    fleet.rest("POST", "/api/v1/applications/one-east/sync", "");
    fleet.awaitSynced("one-east");
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
    String v2 = repo.commit("v2");

    HttpResponse<String> refresh = fleet.rest("POST", "/api/v1/applications/one-east/refresh", "");
    assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(202);
    assertThat(refresh.body()).contains("\"agentNotified\" : true");
    fleet.awaitRevision(v2, "one-east");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "OutOfSync".equals(fleet.application("one-east").orElseThrow().syncStatus()));
    assertThat(greeting()).as("a refresh never applies for a manual sync policy").isEqualTo("v1");
    assertThat(fleet.rest("POST", "/api/v1/applications/nope/refresh", "").statusCode())
        .isEqualTo(404);
  }
}
