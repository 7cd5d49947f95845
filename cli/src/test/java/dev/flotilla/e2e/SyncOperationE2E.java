package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The sync operation end to end (Git, control plane, a real agent on a simulated cluster, the CLI):
 * every operation is listed, terminate-op refuses when none runs, `app get` says what the last sync
 * did, and after a rollback names the deployed revision beside Git's newest. (Retrying and
 * terminating a running operation: ClusterAgentOperationMockTest.)
 */
class SyncOperationE2E extends OneRepoFleetE2EBase {

  SyncOperationE2E() {
    super("v1", "v1");
  }

  CliRunner.Run cli(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  JsonObject app() throws Exception {
    HttpResponse<String> r = fleet.rest("GET", "/api/v1/applications/one-east", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  JsonObject operation() throws Exception {
    JsonObject op = app().getJsonObject("operationState");
    assertThat(op).as("operation state").isNotNull();
    return op;
  }

  @Test
  void everyOperationIsListedAndTerminateOpNeedsARunningOne() throws Exception {
    fleet.apply(
        AppSets.appsOneOn("auto", "one", repo.url(), AppSets.automated(false, false), "east"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonObject op = operation();
              assertThat(op.getString("phase")).isEqualTo("Succeeded");
              assertThat(op.getString("initiatedBy")).isEqualTo("automated");
              assertThat(op.getJsonArray("resources").getJsonObject(0).getString("status"))
                  .isEqualTo("Synced");
            });

    CliRunner.Run terminate = cli("app", "terminate-op", "one-east");
    assertThat(terminate.exitCode()).isEqualTo(1);
    assertThat(terminate.err())
        .contains("application 'one-east' has no sync operation running (the last one Succeeded)");

    CliRunner.Run ops = cli("app", "operations", "one-east");
    assertThat(ops.exitCode()).as(ops.err()).isZero();
    assertThat(ops.out()).contains("Succeeded").contains("automated").contains("created 1");
    CliRunner.Run json = cli("app", "get", "one-east", "-o", "json");
    assertThat(new JsonObject(json.out()).getJsonObject("operationState").getString("phase"))
        .isEqualTo("Succeeded");
  }

  @Test
  void appGetSaysWhatTheLastSyncDidAndWhichRevisionIsDeployedAfterARollback() throws Exception {
    fleet.apply(AppSets.appsOneOn("manual", "one", repo.url(), "", "east"));
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(operation().getString("phase")).isEqualTo("Succeeded"));
    String v1 = operation().getString("revision");
    // The comparisons that follow do not overwrite what the sync did.
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/refresh", "").statusCode())
        .isEqualTo(202);
    CliRunner.Run first = cli("app", "get", "one-east");
    assertThat(first.out()).contains("operation:   Succeeded").contains("created 1");
    assertThat(operation().getString("initiatedBy")).isNotEqualTo("automated");

    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "v2"));
    String v2 = repo.commit("v2");
    fleet.awaitRevision(v2, "one-east");
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(app().getString("deployedRevision")).isEqualTo(v2));

    CliRunner.Run rollback = cli("app", "rollback", "one-east");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(app().getString("deployedRevision")).isEqualTo(v1));
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/refresh", "").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonObject a = app();
              assertThat(a.getString("syncStatus")).isEqualTo("OutOfSync");
              assertThat(a.getString("revision")).as("Git's newest").isEqualTo(v2);
              assertThat(a.getString("deployedRevision")).as("what runs").isEqualTo(v1);
            });
    CliRunner.Run get = cli("app", "get", "one-east");
    assertThat(get.out()).contains("deployed:    " + v1 + " (differs from the revision above)");
  }
}
