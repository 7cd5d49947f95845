package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.project.AppProjectParser;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YAML bombs under the alias limit, huge repeated scalars and 2,000-deep JSON against the control
 * plane's own YAML entry points outside the REST plumbing: AppProject documents, and the CLI's
 * {@code appset generate} input files (the ApplicationSet and {@code --clusters}). Each is refused
 * with a message naming the limit; ordinary anchors and merge keys keep working.
 */
class HostileYamlInputTest {

  @TempDir Path tmp;

  record Bomb(String name, String text, String refusal) {}

  interface EntryPoint {
    String errorFor(Path tmp, String text) throws Exception;
  }

  record Target(String name, EntryPoint entryPoint) {}

  record Case(Bomb bomb, Target target) {
    @Override
    public String toString() {
      return bomb.name() + " -> " + target.name();
    }
  }

  static String levels(String first, String format) {
    StringBuilder out = new StringBuilder(first);
    for (int i = 1; i <= 16; i++) {
      out.append(format.replace("%i", "" + i).replace("%p", "" + (i - 1)));
    }
    return out.toString();
  }

  static final String EXPANDS = "expands to more than";

  static List<Bomb> bombs() {
    return List.of(
        new Bomb(
            "3 x 16 nested sequences (48 aliases)",
            levels("a0: &a0 [x, x, x]\n", "a%i: &a%i [*a%p, *a%p, *a%p]\n"),
            EXPANDS),
        new Bomb(
            "3 x 16 maps of maps",
            levels("m0: &m0 {k: v, l: v, n: v}\n", "m%i: &m%i {k: *m%p, l: *m%p, n: *m%p}\n"),
            EXPANDS),
        new Bomb(
            "merge keys <<: *b",
            levels("b0: &b0 {x: [x, x, x]}\n", "b%i: &b%i {<<: *b%p, y: *b%p, z: *b%p}\n"),
            EXPANDS),
        new Bomb(
            "100 KB scalar aliased 50 times",
            "s: &s '"
                + "x".repeat(100_000)
                + "'\nlist: ["
                + Stream.generate(() -> "*s").limit(50).collect(Collectors.joining(", "))
                + "]\n",
            EXPANDS),
        new Bomb(
            "JSON nested 2,000 deep",
            "{\"deep\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}",
            "nests deeper than 100 levels"));
  }

  static String write(Path tmp, String name, String text) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  static final String APPSET =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata: {name: fleet}
      spec:
        generators:
        - clusters: {}
        template:
          metadata: {name: 'app-{{name}}'}
          spec:
            project: default
            source: {repoURL: 'https://git.example.com/r.git', path: p}
            destination: {name: '{{name}}', namespace: ns}
      """;

  static List<Target> targets() {
    return List.of(
        new Target(
            "AppProject document",
            (tmp, text) -> {
              try {
                AppProjectParser.parse(text);
                return "accepted";
              } catch (IllegalArgumentException e) {
                return e.getMessage();
              }
            }),
        new Target(
            "appset generate APPSET.yaml",
            (tmp, text) -> {
              CliRunner.Run r = CliRunner.run("appset", "generate", write(tmp, "bomb.yaml", text));
              return r.exitCode() == 0 ? "accepted" : r.err();
            }),
        new Target(
            "appset generate --clusters",
            (tmp, text) -> {
              CliRunner.Run r =
                  CliRunner.run(
                      "appset",
                      "generate",
                      write(tmp, "fleet.yaml", APPSET),
                      "--clusters",
                      write(tmp, "clusters.yaml", text));
              return r.exitCode() == 0 ? "accepted" : r.err();
            }));
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Bomb bomb : bombs()) {
      for (Target target : targets()) {
        cases.add(new Case(bomb, target));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesWithTheLimit(Case c) throws Exception {
    assertThat(c.target().entryPoint().errorFor(tmp, c.bomb().text())).contains(c.bomb().refusal());
  }

  @Test
  void appProjectAnchorsAndMergeKeysResolve() {
    JsonObject project =
        AppProjectParser.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: team-a}
            spec:
              sourceRepos: ['https://git.example.com/*']
              destinations:
              - &prod {server: 'https://kubernetes.default.svc', namespace: team-a}
              - {<<: *prod, namespace: team-a-staging}
            """);

    assertThat(project.getJsonObject("spec").getJsonArray("destinations").encode())
        .isEqualTo(
            "[{\"server\":\"https://kubernetes.default.svc\",\"namespace\":\"team-a\"},"
                + "{\"server\":\"https://kubernetes.default.svc\",\"namespace\":\"team-a-staging\"}]");
  }

  @Test
  void clustersFileAnchorsResolve() throws Exception {
    CliRunner.Run r =
        CliRunner.run(
            "appset",
            "generate",
            write(
                tmp,
                "fleet.yaml",
                APPSET.replace("namespace: ns", "namespace: '{{metadata.labels.env}}'")),
            "--clusters",
            write(
                tmp,
                "clusters.yaml",
                """
                clusters:
                - {name: c1, server: 'https://c1', labels: &prod {env: prod}}
                - {name: c2, server: 'https://c2', labels: *prod}
                """));

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("name: app-c1")
        .contains("name: app-c2")
        .contains("namespace: prod");
  }
}
