package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code app wait}, {@code app refresh}, {@code appset create} and the {@code -o} formats they and
 * their neighbours gained, as a user types them, against a running control plane (no agent: the
 * statuses are recorded as an agent would report them).
 */
class AppVerbsIT {

  private static final String SHA = "1111111111111111111111111111111111111111";

  @TempDir Path home;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()));
    assertThat(run("cluster", "add", "east").exitCode()).isZero();
    app("web");
    app("slow");
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private void app(String name) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("source", new JsonObject().put("repoURL", "file:///nowhere").put("path", name));
    cp.applications()
        .pool()
        .preparedQuery(
            "INSERT INTO applications (name, project, cluster, document, generation)"
                + " VALUES ($1, 'default', 'east', $2, 1)")
        .execute(Tuple.of(name, new JsonObject().put("spec", spec)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * Records a status as the agent would report it, and tells watchers, as the agent stream does.
   */
  private void status(String name, SyncStatus sync, HealthStatus health) throws Exception {
    cp.applications()
        .recordStatus(
            "east",
            ApplicationStatus.newBuilder()
                .setApplication(name)
                .setGeneration(1)
                .setSyncStatus(sync)
                .setHealth(health)
                .setRevision(SHA)
                .setObservedAtUnixMs(System.currentTimeMillis())
                .build())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    cp.events().changed(name);
  }

  private CliRunner.Run run(String... args) {
    return CliRunner.runAgainst("http://127.0.0.1:" + cp.httpPort(), cp.adminToken().value(), args);
  }

  @Test
  void waitReturnsAtOnceWhenEverythingIsMetAndPrintsTheApplications() throws Exception {
    status("web", SyncStatus.SYNC_STATUS_SYNCED, HealthStatus.HEALTH_STATUS_HEALTHY);

    CliRunner.Run r = run("app", "wait", "web", "--timeout", "30");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("CLUSTER")
        .contains("web")
        .contains("Synced")
        .contains("Healthy");
    assertThat(r.err()).contains("web: done (Synced, Healthy)");

    CliRunner.Run json = run("app", "wait", "web", "--sync", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode items = new ObjectMapper().readTree(json.out()).get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("name").asText()).isEqualTo("web");
    assertThat(json.err()).as("progress stays off stdout").contains("web: done");
  }

  @Test
  void waitTimesOutNamingWhatIsNotMetAndExitsNonZero() throws Exception {
    status("web", SyncStatus.SYNC_STATUS_SYNCED, HealthStatus.HEALTH_STATUS_HEALTHY);
    status("slow", SyncStatus.SYNC_STATUS_OUT_OF_SYNC, HealthStatus.HEALTH_STATUS_PROGRESSING);

    CliRunner.Run r = run("app", "wait", "web", "slow", "--timeout", "2", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains(
            "error: timed out (2s) waiting for application slow: sync is OutOfSync (want"
                + " Synced), health is Progressing (want Healthy)")
        .doesNotContain("application web:");

    CliRunner.Run health = run("app", "wait", "slow", "--sync", "--timeout", "1");
    assertThat(health.exitCode()).isEqualTo(1);
    assertThat(health.err())
        .as("only what was asked for is named")
        .contains("application slow: sync is OutOfSync (want Synced)")
        .doesNotContain("health is");
  }

  @Test
  void waitFollowsTheStreamUntilTheConditionsAreMet() throws Exception {
    status("slow", SyncStatus.SYNC_STATUS_OUT_OF_SYNC, HealthStatus.HEALTH_STATUS_PROGRESSING);
    CompletableFuture<CliRunner.Run> waiting =
        CompletableFuture.supplyAsync(
            () -> run("app", "wait", "slow", "--sync", "--health", "--timeout", "60"));

    // Changes arrive over the stream (the CLI reads each Application once, then only the stream);
    // each one is announced again until the wait ends, whenever the stream opened.
    status("slow", SyncStatus.SYNC_STATUS_SYNCED, HealthStatus.HEALTH_STATUS_PROGRESSING);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () -> {
              status("slow", SyncStatus.SYNC_STATUS_SYNCED, HealthStatus.HEALTH_STATUS_HEALTHY);
              return waiting.isDone();
            });

    CliRunner.Run r = waiting.get(60, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("slow").contains("Healthy");
  }

  @Test
  void waitRefusesWhatCannotBeWaitedFor() {
    CliRunner.Run missing = run("app", "wait", "nope", "--timeout", "5");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("application 'nope' not found");

    CliRunner.Run negative = run("app", "wait", "web", "--timeout", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--timeout must be 0 (no limit) or a number of seconds");

    CliRunner.Run none = run("app", "wait");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("NAME");
  }

  @Test
  void theStreamRefusesARequestWithoutNamesAndAnUnauthenticatedOne() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + cp.httpPort() + "/api/v1/stream/applications";
    HttpResponse<String> noName =
        http.send(
            HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Bearer " + cp.adminToken().value())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.body()).contains("give at least one Application name");

    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "?name=web")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void refreshAndHardRefreshAnswerEvenWithoutAnAgent() throws Exception {
    CliRunner.Run r = run("app", "refresh", "web");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("refresh of web requested\n");
    assertThat(r.err()).contains("agent of web is not connected");

    CliRunner.Run hard = run("app", "refresh", "web", "--hard", "-o", "json");
    assertThat(hard.exitCode()).as(hard.err()).isZero();
    JsonNode answer = new ObjectMapper().readTree(hard.out());
    assertThat(answer.get("refresh").asText()).isEqualTo("requested");
    assertThat(answer.get("agentNotified").asBoolean()).isFalse();

    CliRunner.Run missing = run("app", "refresh", "nope", "--hard");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("application 'nope' not found");
  }

  @Test
  void terminateOpAndListSpeakTheOutputFormats() throws Exception {
    CliRunner.Run op = run("app", "terminate-op", "web", "-o", "yaml");
    assertThat(op.exitCode()).isEqualTo(1);
    assertThat(op.err()).contains("application 'web' has no sync operation running");
    assertThat(op.out()).as("an error leaves a script's stdout empty").isEmpty();

    CliRunner.Run wide = run("app", "list", "-o", "wide");
    assertThat(wide.exitCode()).as(wide.err()).isZero();
    assertThat(wide.out().lines().findFirst().orElseThrow())
        .contains("PROJECT")
        .contains("APPSET")
        .contains("TARGET")
        .contains("OPERATION");
    assertThat(run("app", "list").out().lines().findFirst().orElseThrow())
        .doesNotContain("PROJECT");
  }

  private Path appSet(String name, String namespace) throws Exception {
    Path file = home.resolve(name + "-" + namespace + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: '%s-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: file:///nowhere
                targetRevision: main
                path: guestbook
              destination:
                name: '{{cluster}}'
                namespace: %s
        """
            .formatted(name, name, namespace));
    return file;
  }

  @Test
  void appsetCreateCreatesOnlyUnlessUpsert() throws Exception {
    Path first = appSet("guestbook", "one");
    CliRunner.Run created = run("appset", "create", "-f", first.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("applicationset guestbook created\n");

    CliRunner.Run again = run("appset", "create", first.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo("applicationset guestbook unchanged\n");

    Path changed = appSet("guestbook", "two");
    CliRunner.Run refused = run("appset", "create", "-f", changed.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("applicationset guestbook exists already with a different spec")
        .contains("--upsert");
    assertThat(refused.out()).isEmpty();

    CliRunner.Run upserted =
        run("appset", "create", "-f", changed.toString(), "--upsert", "-o", "json");
    assertThat(upserted.exitCode()).as(upserted.err()).isZero();
    JsonNode stored = new ObjectMapper().readTree(upserted.out());
    assertThat(stored.get("name").asText()).isEqualTo("guestbook");
    assertThat(stored.at("/document/spec/template/spec/destination/namespace").asText())
        .isEqualTo("two");

    CliRunner.Run both = run("appset", "create", first.toString(), "-f", first.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give the ApplicationSet file once");

    CliRunner.Run applied = run("appset", "apply", "-f", first.toString(), "-o", "yaml");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(new ObjectMapper(new YAMLFactory()).readTree(applied.out()).get("name").asText())
        .isEqualTo("guestbook");

    CliRunner.Run wide = run("appset", "list", "-o", "wide");
    assertThat(wide.exitCode()).as(wide.err()).isZero();
    assertThat(wide.out()).contains("PROJECT").contains("CONDITIONS").contains("guestbook");

    CliRunner.Run deleted =
        run("appset", "delete", "guestbook", "-y", "--wait=false", "-o", "json");
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    JsonNode deletion = new ObjectMapper().readTree(deleted.out());
    assertThat(deletion.get("name").asText()).isEqualTo("guestbook");
    assertThat(deletion.has("deletion")).isTrue();
  }
}
