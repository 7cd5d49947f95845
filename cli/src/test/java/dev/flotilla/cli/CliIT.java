package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running control plane, as a user types it. */
class CliIT {

  @TempDir Path home;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()));
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private CliRunner.Run run(String... args) {
    return CliRunner.run(args);
  }

  private String[] api(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api";
    all[args.length + 1] = "http://127.0.0.1:" + cp.httpPort();
    all[args.length + 2] = "--token";
    all[args.length + 3] = cp.adminToken().value();
    return all;
  }

  @Test
  void clusterAddPrintsATokenOnceAndListShowsTheCluster() {
    CliRunner.Run add =
        run(api("cluster", "add", "prod-eu", "--label", "env=prod", "--label", "region=eu"));
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).contains("join token").containsPattern("flt_[A-Za-z0-9_-]{40,}");

    CliRunner.Run list = run(api("cluster", "list"));
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .contains("prod-eu")
        .contains("env=prod,region=eu")
        .contains("disconnected")
        .contains("HEALTH")
        .contains("Unknown");

    CliRunner.Run again = run(api("cluster", "add", "prod-eu"));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already registered");
    assertThat(again.out()).isEmpty();
  }

  private void appSet(String name) throws Exception {
    cp.controller()
        .apply(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata: {name: %s}
            spec:
              generators: [{list: {elements: [{n: a}, {n: b}, {n: c}]}}]
              template:
                metadata: {name: '%s-{{n}}'}
                spec:
                  project: default
                  source: {repoURL: '', path: apps}
                  destination: {name: nowhere, namespace: apps}
            """
                .formatted(name, name))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private int applicationsOf(String appSet) throws Exception {
    return cp.applications()
        .countByApplicationSet(appSet)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void appsetDeleteWaitsUntilTheBackgroundDeletionHasFinished() throws Exception {
    appSet("web");
    assertThat(applicationsOf("web")).isEqualTo(3);
    CliRunner.Run delete = run(api("appset", "delete", "web"));
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(delete.out()).isEqualTo("applicationset web deleted\n");
    assertThat(applicationsOf("web")).as("gone when the command returns").isZero();
    assertThat(run(api("appset", "get", "web")).err()).contains("not found");

    appSet("api");
    CliRunner.Run started = run(api("appset", "delete", "api", "--wait=false"));
    assertThat(started.exitCode()).as(started.err()).isZero();
    assertThat(started.out())
        .isEqualTo(
            "applicationset api is being deleted (see `flotilla appset get api` for progress)\n");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> applicationsOf("api") == 0);

    CliRunner.Run missing = run(api("appset", "delete", "nope"));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("applicationset 'nope' not found");
  }

  @Test
  void listsFollowEveryPage() {
    for (String name : List.of("c1", "c2", "c3", "c4", "c5")) {
      assertThat(run(api("cluster", "add", name)).exitCode()).isZero();
    }
    int before = ApiClient.pageSize;
    ApiClient.pageSize = 2;
    try {
      CliRunner.Run list = run(api("cluster", "list", "-o", "json"));
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(new JsonObject(list.out()).getJsonArray("items")).hasSize(5);
    } finally {
      ApiClient.pageSize = before;
    }
  }

  @Test
  void loginChecksTheTokenKeepsItAndLogoutForgetsIt(@TempDir Path userHome) throws Exception {
    Assumptions.assumeTrue(System.getenv("FLOTILLA_HOME") == null, "FLOTILLA_HOME is set");
    String url = "http://127.0.0.1:" + cp.httpPort();
    String before = System.getProperty("user.home");
    System.setProperty("user.home", userHome.toString());
    try {
      Path saved = userHome.resolve(".flotilla").resolve("login.json");
      CliRunner.Run bad = run("login", "--api", url, "--token", "flt_wrong");
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.err()).contains("login failed").contains("invalid, expired or revoked");
      assertThat(saved).doesNotExist();

      CliRunner.Run login = run("login", "--api", url, "--token", cp.adminToken().value());
      assertThat(login.exitCode()).as(login.err()).isZero();
      assertThat(login.out()).contains("logged in to " + url + " as admin");
      assertThat(Files.getPosixFilePermissions(saved))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

      CliRunner.Run whoami = run("whoami");
      assertThat(whoami.exitCode()).as(whoami.err()).isZero();
      assertThat(whoami.out()).contains("admin");
      CliRunner.Run yaml = run("whoami", "-o", "yaml");
      assertThat(yaml.out()).contains("name: admin").contains("- role:admin");
      // A saved token goes only to the address it was saved for, not to another one.
      CliRunner.Run elsewhere = run("whoami", "--api", "http://localhost:" + cp.httpPort());
      assertThat(elsewhere.exitCode()).isEqualTo(1);
      assertThat(elsewhere.err()).contains("missing bearer token");

      assertThat(run("logout").out()).contains("logged out");
      assertThat(saved).doesNotExist();
    } finally {
      System.setProperty("user.home", before);
    }
  }

  @Test
  void aMissingServerIsExplained() {
    CliRunner.Run list = run("cluster", "list", "--api", "http://127.0.0.1:1");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.err()).contains("cannot reach the control plane").contains("flotilla server");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"--help"},
          {"server", "--help"},
          {"agent", "--help"},
          {"cluster", "add", "--help"},
          {"cluster", "list", "--help"},
          {"demo", "--help"},
          {"appset", "generate", "--help"}
        }) {
      CliRunner.Run r = run(cmd);
      assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).contains("Usage:");
    }
  }

  @Test
  void anAgentWithoutTokenSaysWhatToDo() {
    CliRunner.Run r = run("agent", "--control-plane", "127.0.0.1:1", "--cluster", "x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--token").contains("FLOTILLA_AGENT_TOKEN");
  }
}
