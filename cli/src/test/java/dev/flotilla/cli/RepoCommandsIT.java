package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.TestPostgres;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla repo} and {@code repocreds} as a user types them, against a running control
 * plane: secrets go in by stdin or file and never come out on stdout or stderr; mistakes say what
 * to do next; {@code repo list} shows a wrong password as the last error.
 */
class RepoCommandsIT {

  private static final String TOKEN = "tok-Cli-55aa-secret";
  private static final String KEY_BODY = "a2V5LW1hdGVyaWFsLWZyb20tdGhlLWNsaQ==";

  @TempDir Path home;
  private ControlPlane cp;
  private final List<String> printed = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home)
                .withListen("127.0.0.1", 0, 0)
                .withGitPollInterval(Duration.ofHours(1)),
            Database.of(TestPostgres.fresh()));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      assertThat(String.join("\n", printed)).doesNotContain(TOKEN).doesNotContain(KEY_BODY);
    } finally {
      cp.close();
    }
  }

  private CliRunner.Run admin(String... args) {
    CliRunner.Run run =
        CliRunner.runAgainst("http://127.0.0.1:" + cp.httpPort(), cp.adminToken().value(), args);
    printed.add(run.out());
    printed.add(run.err());
    return run;
  }

  private CliRunner.Run withStdin(String input, String... args) {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      return admin(args);
    } finally {
      System.setIn(stdin);
    }
  }

  private static CliRunner.Run ok(CliRunner.Run run) {
    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    return run;
  }

  private static CliRunner.Run fails(CliRunner.Run run, String message) {
    assertThat(run.exitCode()).as("stdout: %s", run.out()).isEqualTo(1);
    assertThat(run.err()).contains(message);
    return run;
  }

  @Test
  void addListAndRemoveRepositoriesAndTemplates() throws Exception {
    String https = "https://git.example.com/acme/deploy.git";
    String ssh = "ssh://git@git.example.com/acme/infra.git";
    Path key = home.resolve("deploy_key");
    Files.writeString(
        key,
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + KEY_BODY
            + "\n-----END OPENSSH PRIVATE KEY-----\n");

    assertThat(
            ok(withStdin(
                    TOKEN + "\n", "repo", "add", https, "--username", "git", "--password-stdin"))
                .out())
        .contains("repository " + https + " added (https, user git)");
    ok(
        admin(
            "repo",
            "add",
            ssh,
            "--ssh-private-key-path",
            key.toString(),
            "--insecure-ignore-host-key"));
    ok(
        admin(
            "repocreds",
            "add",
            "https://git.example.com/",
            "--username",
            "bot",
            "--password",
            TOKEN));

    String table = ok(admin("repo", "list")).out();
    assertThat(table.lines().findFirst().orElseThrow())
        .containsSubsequence("URL", "TYPE", "USER", "CONNECTION", "LAST ERROR");
    assertThat(table)
        .contains(https)
        .contains(ssh)
        .contains("Unknown (not fetched yet)")
        .doesNotContain("https://git.example.com/ ");
    assertThat(ok(admin("repo", "list", "-o", "wide")).out()).contains("INSECURE").contains("true");
    JsonArray json =
        new JsonObject(ok(admin("repo", "list", "-o", "json")).out()).getJsonArray("items");
    assertThat(json).hasSize(2);
    assertThat(ok(admin("repo", "list", "-o", "yaml")).out()).contains("hasSshPrivateKey: true");
    assertThat(ok(admin("repocreds", "list")).out())
        .contains("https://git.example.com/")
        .doesNotContain(https);

    fails(admin("repo", "add", https, "--username", "git", "--password", "x"), "--upsert");
    ok(admin("repo", "add", https, "--username", "git2", "--password", TOKEN, "--upsert"));
    fails(admin("repo", "rm", "https://git.example.com/"), "flotilla repocreds rm");
    ok(admin("repo", "rm", https));
    ok(admin("repo", "rm", ssh));
    ok(admin("repocreds", "rm", "https://git.example.com/"));
    assertThat(ok(admin("repo", "list")).out()).contains("no repositories");
    assertThat(ok(admin("repocreds", "list")).out()).contains("no credential templates");
  }

  @Test
  void mistakesSayWhatToDoNext() throws Exception {
    String url = "https://git.example.com/acme/x.git";
    fails(
        admin("repo", "add", url, "--username", "git", "--password", TOKEN, "--password-stdin"),
        "give --password or --password-stdin, not both");
    fails(
        withStdin("", "repo", "add", url, "--username", "git", "--password-stdin"),
        "standard input was empty");
    fails(
        admin("repo", "add", "ssh://git@h/x.git", "--ssh-private-key-path", "/nonexistent/key"),
        "/nonexistent/key does not exist");
    fails(admin("repo", "add", url, "--password", TOKEN), "needs a user name");
    fails(admin("repo", "add", "ssh://git@h/x.git", "--password", TOKEN), "--ssh-private-key-path");
    fails(admin("repo", "rm", url), "not found");
    assertThat(ok(admin("repo", "add", "--help")).out())
        .contains("Examples:")
        .contains("--password-stdin")
        .contains("--insecure-ignore-host-key");
  }

  @Test
  void aWrongPasswordShowsInRepoListAsTheLastError() throws Exception {
    Path served = home.resolve("served");
    try (TestRepo repo = new TestRepo(served.resolve("apps"));
        HttpGitServer server = new HttpGitServer(served, "git", "the-right-one")) {
      repo.write("apps/one/cm.yaml", TestRepo.configMap("one", "k", "v")).commit("one");
      String url = server.url("apps");
      ok(withStdin(TOKEN, "repo", "add", url, "--username", "git", "--password-stdin"));
      Path set = home.resolve("appset.yaml");
      Files.writeString(
          set,
          """
          apiVersion: argoproj.io/v1alpha1
          kind: ApplicationSet
          metadata:
            name: private
          spec:
            generators:
              - git:
                  repoURL: %s
                  revision: main
                  directories:
                    - path: apps/*
            template:
              metadata:
                name: '{{path.basename}}'
              spec:
                project: default
                source: {repoURL: '%s', targetRevision: main, path: '{{path}}'}
                destination: {name: east, namespace: default}
          """
              .formatted(url, url));
      ok(admin("appset", "apply", "-f", set.toString()));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(ok(admin("repo", "list")).out())
                      .contains("Failed at")
                      .contains("cannot clone " + url));
      String wide = ok(admin("repo", "list", "-o", "wide")).out();
      assertThat(wide).contains("not authorized").contains("user 'git' of the repository " + url);
    }
  }
}
