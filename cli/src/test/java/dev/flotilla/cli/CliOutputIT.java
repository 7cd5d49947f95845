package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -o table|json|yaml} on every command that prints API objects, and {@code app history} and
 * {@code app rollback} as a user types them, against a running control plane.
 */
class CliOutputIT {

  private static final String SHA1 = "1111111111111111111111111111111111111111";
  private static final String SHA2 = "2222222222222222222222222222222222222222";

  @TempDir Path home;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()));
    assertThat(run("cluster", "add", "east", "--label", "env=dev").exitCode()).isZero();
    Path project = home.resolve("project.yaml");
    Files.writeString(
        project,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: team-a
        spec:
          sourceRepos: ['*']
          destinations:
            - name: east
              namespace: '*'
        """);
    CliRunner.Run applied = run("project", "apply", "-f", project.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    Path appSet = home.resolve("appset.yaml");
    Files.writeString(
        appSet,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: guestbook
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: 'guestbook-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: file:///nowhere
                targetRevision: main
                path: guestbook
              destination:
                name: '{{cluster}}'
                namespace: guestbook
        """);
    applied = run("appset", "apply", "-f", appSet.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    app("web", SHA1, SHA2);
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  /** An Application on east deployed twice, as its agent would have reported. */
  private void app(String name, String... shas) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("source", new JsonObject().put("repoURL", "file:///nowhere").put("path", "web"));
    cp.applications()
        .pool()
        .preparedQuery(
            "INSERT INTO applications (name, project, cluster, document, generation)"
                + " VALUES ($1, 'default', 'east', $2, 1)")
        .execute(Tuple.of(name, new JsonObject().put("spec", spec)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    long generation = 0;
    for (String sha : shas) {
      cp.applications()
          .recordStatus(
              "east",
              ApplicationStatus.newBuilder()
                  .setApplication(name)
                  .setGeneration(++generation)
                  .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
                  .setRevision(sha)
                  .build())
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private CliRunner.Run run(String... args) {
    return CliRunner.runAgainst("http://127.0.0.1:" + cp.httpPort(), cp.adminToken().value(), args);
  }

  record Case(List<String> command, String pointer, String expected) {
    @Override
    public String toString() {
      return String.join(" ", command);
    }
  }

  /** Each command, and where in its structured output the object it shows must be. */
  static Stream<Case> commands() {
    return Stream.of(
        new Case(List.of("app", "list"), "/items/name=web", "web"),
        new Case(List.of("app", "get", "web"), "/name", "web"),
        new Case(List.of("app", "history", "web"), "/items/1/revision", SHA2),
        new Case(List.of("appset", "list"), "/items/0/name", "guestbook"),
        new Case(List.of("appset", "get", "guestbook"), "/name", "guestbook"),
        new Case(List.of("project", "list"), "/items/0/metadata/name", "team-a"),
        new Case(List.of("cluster", "list"), "/items/0/name", "east"),
        new Case(List.of("drift"), "/total", "0"));
  }

  private static JsonNode at(JsonNode root, String pointer) {
    if (pointer.contains("=")) {
      // /items/name=web: the element of items whose name is web.
      String[] parts = pointer.substring(1).split("/");
      String[] kv = parts[1].split("=");
      for (JsonNode item : root.get(parts[0])) {
        if (kv[1].equals(item.path(kv[0]).asText())) {
          return item.get(kv[0]);
        }
      }
      return null;
    }
    return root.at(pointer);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void jsonAndYamlAreParseableAndHoldTheObjects(Case c) throws Exception {
    for (String format : List.of("json", "yaml")) {
      List<String> args = new java.util.ArrayList<>(c.command());
      args.addAll(List.of("-o", format));
      CliRunner.Run r = run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(format + ": " + r.err()).isZero();
      ObjectMapper mapper =
          format.equals("json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      JsonNode root = mapper.readTree(r.out());
      JsonNode value = at(root, c.pointer());
      assertThat(value).as(format + " output:\n" + r.out()).isNotNull();
      assertThat(value.asText()).as(format + " output:\n" + r.out()).isEqualTo(c.expected());
      assertThat(value.isTextual())
          .as("types survive YAML too")
          .isEqualTo(!c.pointer().equals("/total"));
    }
    CliRunner.Run table = run(c.command().toArray(String[]::new));
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).doesNotStartWith("{").doesNotStartWith("items:");
  }

  @Test
  void anUnknownFormatIsAUsageErrorListingTheValidOnes() {
    CliRunner.Run r = run("app", "list", "-o", "xml");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("Invalid value for option '--output'")
        .contains("[table, wide, json, yaml]")
        .contains("'xml'");
    assertThat(r.out()).isEmpty();
    CliRunner.Run get = run("app", "get", "web", "-o", "wide");
    assertThat(get.exitCode()).as("wide only where a table has more columns").isEqualTo(2);
    assertThat(get.err()).contains("[table, json, yaml]");
    CliRunner.Run drift = run("drift", "--output", "xml");
    assertThat(drift.exitCode()).isEqualTo(2);
    assertThat(drift.err()).contains("[table, json, yaml, csv]");
    assertThat(run("cluster", "list", "-o", "YAML").exitCode()).as("case-insensitive").isZero();
  }

  @Test
  void historyAsATableForPeople() {
    CliRunner.Run r = run("app", "history", "web");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("REVISION").contains("OPERATION");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains("11111111").contains("automated").contains("system:flotilla");
    assertThat(lines.get(2)).contains("22222222");

    CliRunner.Run empty = run("app", "history", "guestbook-east");
    assertThat(empty.exitCode()).as(empty.err()).isZero();
    assertThat(empty.out()).contains("no deployments of guestbook-east yet");
  }

  @Test
  void rollbackRefusalsAreOneLineOnStderr() {
    CliRunner.Run both = run("app", "rollback", "web", "1", "--revision", SHA1);
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("either HISTORY_ID or --revision");

    CliRunner.Run missing = run("app", "rollback", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("application 'nope' not found");

    CliRunner.Run unknownId = run("app", "rollback", "web", "999999");
    assertThat(unknownId.exitCode()).isEqualTo(1);
    assertThat(unknownId.err()).contains("id: application 'web' has no history entry 999999");

    CliRunner.Run away = run("app", "rollback", "web");
    assertThat(away.exitCode()).isEqualTo(1);
    assertThat(away.err()).contains("agent of cluster 'east' is not connected");
    assertThat(away.out()).isEmpty();
  }
}
