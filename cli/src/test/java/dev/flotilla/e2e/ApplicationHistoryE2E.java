package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deployment history and rollback end to end: Git commits, a real agent on a simulated cluster, the
 * CLI and REST.
 */
class ApplicationHistoryE2E extends OneRepoFleetE2EBase {

  ApplicationHistoryE2E() {
    super("v1", "v1");
  }

  private CliRunner.Run cli(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  private JsonArray history() throws Exception {
    HttpResponse<String> r = fleet.rest("GET", "/api/v1/applications/one-east/history", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("items");
  }

  private void awaitHistorySize(int size) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(history()).hasSize(size));
  }

  private String greeting() {
    var cm = fleet.configMap("east", "one", "one-config");
    return cm == null ? null : cm.getData().get("greeting");
  }

  private void commitGreeting(String value) throws Exception {
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", value));
    String sha = repo.commit(value);
    fleet.awaitRevision(sha, "one-east");
  }

  @Test
  void rollbackReturnsTheClusterToTheEarlierCommitAndIsRecorded() throws Exception {
    fleet.apply(AppSets.appsOneOn("manual", "one", repo.url(), "", "east"));
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(greeting()));
    awaitHistorySize(1);
    String v1 = fleet.application("one-east").orElseThrow().revision();

    commitGreeting("v2");
    assertThat(history())
        .as("a new commit alone deploys nothing without automated sync")
        .hasSize(1);
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(greeting()));
    awaitHistorySize(2);
    JsonArray before = history();
    long firstId = before.getJsonObject(0).getLong("id");
    long secondId = before.getJsonObject(1).getLong("id");
    assertThat(before.getJsonObject(0).getString("revision")).isEqualTo(v1);
    assertThat(before.getJsonObject(0).getString("operation")).isEqualTo("sync");
    assertThat(before.getJsonObject(0).getString("path")).isEqualTo("apps/one");

    CliRunner.Run rollback = cli("app", "rollback", "one-east");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("rollback of one-east to " + firstId);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(greeting()));
    awaitHistorySize(3);
    JsonObject rolledBack = history().getJsonObject(2);
    assertThat(rolledBack.getString("revision")).isEqualTo(v1);
    assertThat(rolledBack.getString("operation")).isEqualTo("rollback");
    assertThat(rolledBack.getLong("rollbackOf")).isEqualTo(firstId);
    assertThat(rolledBack.getString("initiatedBy")).isNotBlank();

    // Comparing with the assigned revision afterwards neither undoes the rollback nor adds an
    // entry.
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/refresh", "").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "OutOfSync".equals(fleet.application("one-east").orElseThrow().syncStatus()));
    assertThat(history()).hasSize(3);
    assertThat(greeting()).isEqualTo("v1");

    HttpResponse<String> forward =
        fleet.rest("POST", "/api/v1/applications/one-east/rollback", "{\"id\": " + secondId + "}");
    assertThat(forward.statusCode()).as(forward.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(greeting()));
    awaitHistorySize(4);

    CliRunner.Run table = cli("app", "history", "one-east");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).contains("rollback to " + firstId).contains("rollback to " + secondId);
  }

  @Test
  void automatedDeploymentsAreRecordedAndCannotBeRolledBack() throws Exception {
    fleet.apply(
        AppSets.appsOneOn("auto", "one", repo.url(), AppSets.automated(false, false), "east"));
    fleet.awaitSynced("one-east");
    awaitHistorySize(1);
    commitGreeting("v2");
    await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(greeting()));
    awaitHistorySize(2);
    assertThat(history())
        .allSatisfy(
            e -> assertThat(((JsonObject) e).getString("operation")).isEqualTo("automated"));

    CliRunner.Run refused = cli("app", "rollback", "one-east");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("automated sync");
    assertThat(greeting()).isEqualTo("v2");
  }
}
