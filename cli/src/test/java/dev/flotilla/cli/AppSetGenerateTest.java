package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code flotilla appset generate}: offline rendering, as a user runs it. */
class AppSetGenerateTest {

  @TempDir Path tmp;
  private Path repoDir;
  private static final String REPO_URL = "https://git.example.com/infra.git";

  private static CliRunner.Run run(String... args) {
    return CliRunner.run(args);
  }

  @BeforeEach
  void repo() throws Exception {
    repoDir = tmp.resolve("infra");
    try (TestRepo repo = new TestRepo(repoDir)) {
      repo.write("apps/billing/cm.yaml", "kind: ConfigMap\n");
      repo.write("apps/web/cm.yaml", "kind: ConfigMap\n");
      repo.write("apps/.hidden/cm.yaml", "kind: ConfigMap\n");
      repo.commit("apps");
    }
  }

  private Path file(String name, String content) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static final String MATRIX =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: fleet
      spec:
        generators:
          - matrix:
              generators:
                - git:
                    repoURL: %s
                    revision: main
                    directories:
                      - path: apps/*
                - clusters:
                    selector:
                      matchLabels:
                        env: prod
        template:
          metadata:
            name: '{{path.basename}}-{{name}}'
          spec:
            project: default
            source:
              repoURL: %s
              targetRevision: main
              path: '{{path}}'
            destination:
              server: '{{server}}'
              namespace: '{{path.basename}}'
      """
          .formatted(REPO_URL, REPO_URL);

  private static final String CLUSTERS =
      """
      clusters:
        - name: prod-eu
          server: https://10.0.0.1
          labels: {env: prod}
          annotations: {team: payments}
        - name: dev
          server: https://10.0.0.2
          labels: {env: dev}
      """;

  @Test
  void rendersAMatrixOfGitDirectoriesAndClustersSortedByName() throws Exception {
    CliRunner.Run r =
        run(
            "appset",
            "generate",
            file("appset.yaml", MATRIX).toString(),
            "--clusters",
            file("clusters.yaml", CLUSTERS).toString(),
            "--repo",
            REPO_URL + "=" + repoDir);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> names = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.startsWith("  name: ")) {
        names.add(line.substring(8));
      }
    }
    assertThat(names).containsExactly("billing-prod-eu", "web-prod-eu");
    assertThat(r.out())
        .contains("apiVersion: argoproj.io/v1alpha1")
        .contains("kind: Application")
        .contains("server: https://10.0.0.1")
        .doesNotContain(".hidden");

    CliRunner.Run json =
        run(
            "appset",
            "generate",
            tmp.resolve("appset.yaml").toString(),
            "--clusters",
            tmp.resolve("clusters.yaml").toString(),
            "--repo",
            REPO_URL + "=" + repoDir,
            "-o",
            "json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out().trim()).startsWith("[").contains("\"billing-prod-eu\"");
  }

  @Test
  void takesTheFileAsArgocdOrAsDashFAndPrintsATableWithWide() throws Exception {
    Path appSet = file("appset.yaml", MATRIX);
    Path clusters = file("clusters.yaml", CLUSTERS);
    String repo = REPO_URL + "=" + repoDir;

    CliRunner.Run wide =
        run(
            "appset",
            "generate",
            "-f",
            appSet.toString(),
            "--clusters",
            clusters.toString(),
            "--repo",
            repo,
            "-o",
            "wide");

    assertThat(wide.exitCode()).as(wide.err()).isZero();
    List<String> lines = wide.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("PROJECT").contains("CLUSTER");
    assertThat(lines.get(1))
        .startsWith("billing-prod-eu")
        .contains("https://10.0.0.1")
        .contains("apps/billing")
        .contains("main");
    assertThat(lines).hasSize(3);

    CliRunner.Run both = run("appset", "generate", appSet.toString(), "-f", appSet.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give the ApplicationSet file once");
    CliRunner.Run none = run("appset", "generate");
    assertThat(none.exitCode()).isEqualTo(2);
    CliRunner.Run table = run("appset", "generate", appSet.toString(), "-o", "table");
    assertThat(table.exitCode()).isEqualTo(2);
    assertThat(table.err()).contains("[yaml, json, wide]");
    assertThat(table.out()).isEmpty();
  }

  record Case(String name, String appSet, String expectedInError) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalid() {
    String list =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: bad
        spec:
          generators:
            - list:
                elements:
                  - cluster: a
                  - cluster: b
          template:
            metadata:
              name: 'app-{{cluster}}'
            spec:
              project: default
              source: {repoURL: 'https://x.invalid/r.git', path: p}
              destination: {name: '{{cluster}}', namespace: ns}
        """;
    return Stream.of(
        new Case("malformed YAML", "spec: [unclosed\n  generators:", "YAML"),
        new Case("unknown generator", list.replace("- list:", "- scmProvider:"), "generators[0]"),
        new Case(
            "missing template name", list.replace("name: 'app-{{cluster}}'", "labels: {}"), "name"),
        new Case(
            "templated project",
            list.replace("project: default", "project: '{{cluster}}'"),
            "project"),
        new Case(
            "matrix with three children",
            list.replace(
                "    - list:\n        elements:\n          - cluster: a\n          - cluster: b\n",
                "    - matrix:\n        generators:\n          - list: {elements: [{cluster: a}]}\n"
                    + "          - list: {elements: [{x: b}]}\n          - list: {elements: [{y: c}]}\n"),
            "matrix"),
        new Case(
            "templated key in a generator's own template",
            list.replace(
                "          - cluster: b\n",
                "          - cluster: b\n        template: {spec: {'{{cluster}}': platform}}\n"),
            "spec.generators[0].list.template.spec"),
        new Case("duplicate Application names", list.replace("'app-{{cluster}}'", "'app'"), "app"),
        new Case("alias bomb (10^10 elements)", aliasBomb(), "alias"));
  }

  /** Ten levels of ten references each: tiny on disk, 10^10 nodes if expanded. */
  static String aliasBomb() {
    StringBuilder yaml = new StringBuilder("l0: &l0 [x,x,x,x,x,x,x,x,x,x]\n");
    for (int level = 1; level < 10; level++) {
      yaml.append("l").append(level).append(": &l").append(level).append(" [");
      for (int i = 0; i < 10; i++) {
        yaml.append(i == 0 ? "" : ",").append("*l").append(level - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidInputExitsNonZeroWithNothingOnStdout(Case c) throws Exception {
    CliRunner.Run r = run("appset", "generate", file("bad.yaml", c.appSet()).toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").containsIgnoringCase(c.expectedInError());
  }

  @Test
  void unreadableInputsAreNamed() throws Exception {
    CliRunner.Run missing = run("appset", "generate", tmp.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.yaml").contains("no such file");

    CliRunner.Run badClusters =
        run(
            "appset",
            "generate",
            file("appset.yaml", MATRIX).toString(),
            "--clusters",
            file("c.yaml", "clusters:\n  - server: https://x\n").toString(),
            "--repo",
            REPO_URL + "=" + repoDir);
    assertThat(badClusters.exitCode()).isEqualTo(1);
    assertThat(badClusters.out()).isEmpty();
    assertThat(badClusters.err()).contains("clusters[0].name");

    CliRunner.Run unreachable =
        run(
            "appset",
            "generate",
            tmp.resolve("appset.yaml").toString(),
            "--clusters",
            tmp.resolve("c.yaml").toString());
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.out()).isEmpty();
  }

  @Test
  void pathsThatEscapeTheRepositoryAreRefused() throws Exception {
    String escape = MATRIX.replace("path: apps/*", "path: '../*'");
    CliRunner.Run r =
        run(
            "appset",
            "generate",
            file("escape.yaml", escape).toString(),
            "--clusters",
            file("clusters.yaml", CLUSTERS).toString(),
            "--repo",
            REPO_URL + "=" + repoDir);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("..");
  }
}
