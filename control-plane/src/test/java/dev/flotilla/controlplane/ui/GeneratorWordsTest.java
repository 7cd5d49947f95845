package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.yaml.BoundedYaml;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorWordsTest {

  private static final BoundedYaml YAML = new BoundedYaml(64 * 1024);

  record Case(String name, String generators, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "list counts its elements",
            "- list: {elements: [{cluster: a}, {cluster: b}, {cluster: c}]}",
            List.of("list of 3 elements")),
        new Case(
            "one element is singular",
            "- list: {elements: [{a: 1}]}",
            List.of("list of 1 element")),
        new Case(
            "elementsYaml cannot be counted without parsing",
            "- list: {elementsYaml: '- a: 1'}",
            List.of("list of elements from YAML")),
        new Case(
            "clusters without a selector are all clusters",
            "- clusters: {}",
            List.of("all clusters")),
        new Case(
            "clusters by labels and expressions, as kubectl spells them",
            """
            - clusters:
                selector:
                  matchLabels: {tier: web, env: prod}
                  matchExpressions:
                    - {key: region, operator: In, values: [eu, us]}
                    - {key: stage, operator: NotIn, values: [dev]}
                    - {key: gpu, operator: Exists}
                    - {key: legacy, operator: DoesNotExist}
            """,
            List.of(
                "clusters matching env=prod,tier=web,region in (eu,us),stage notin (dev),gpu,!legacy")),
        new Case(
            "flatList says so",
            "- clusters: {selector: {matchLabels: {env: prod}}, flatList: true}",
            List.of("clusters matching env=prod (as one flat list)")),
        new Case(
            "git directories with an exclusion",
            """
            - git:
                repoURL: https://git.example/infra.git
                revision: main
                directories: [{path: apps/*}, {path: apps/legacy, exclude: true}]
            """,
            List.of(
                "git directories apps/* except apps/legacy in https://git.example/infra.git@main")),
        new Case(
            "git files at HEAD when no revision is given",
            "- git: {repoURL: https://git.example/c.git, files: [{path: 'envs/*/config.json'}]}",
            List.of("git files envs/*/config.json in https://git.example/c.git@HEAD")),
        new Case(
            "matrix of its children",
            """
            - matrix:
                generators:
                  - git: {repoURL: R, revision: main, directories: [{path: apps/*}]}
                  - clusters: {selector: {matchLabels: {env: prod}}}
            """,
            List.of("matrix of (git directories apps/* in R@main) × (clusters matching env=prod)")),
        new Case(
            "merge names its keys",
            """
            - merge:
                mergeKeys: [server]
                generators:
                  - clusters: {}
                  - list: {elements: [{server: s}]}
            """,
            List.of("merge of (all clusters) with (list of 1 element) on server")),
        new Case(
            "a post-selector narrows the entry",
            "- list: {elements: [{env: a}, {env: b}]}\n  selector: {matchLabels: {env: a}}",
            List.of("list of 2 elements, only where env=a")),
        new Case(
            "several entries, one phrase each",
            "- clusters: {}\n- list: {elements: []}",
            List.of("all clusters", "list of 0 elements")),
        new Case(
            "unsupported and unknown generators are named, not hidden",
            "- pullRequest: {github: {}}\n- nonsense: {}",
            List.of(
                "pullRequest generator (not supported by Flotilla)",
                "unknown generator 'nonsense'")),
        new Case(
            "malformed entries say what is wrong",
            "- {}\n- [1]\n- {list: {}, clusters: {}}\n- git: 3",
            List.of(
                "empty generator",
                "not a generator (expected a map)",
                "several generators in one entry: clusters, list",
                "git generator (not a map)")),
        new Case("no generators at all", "[]", List.of("no generators")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void describesGenerators(Case c) throws Exception {
    String yaml = "spec:\n  generators:\n" + c.generators().indent(4);
    JsonObject document = new JsonObject(YAML.read(yaml).toString());
    assertThat(GeneratorWords.of(document)).containsExactlyElementsOf(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentsWithoutGenerators")
  void aDocumentWithoutGeneratorsSaysSo(String json) {
    assertThat(GeneratorWords.of(new JsonObject(json))).containsExactly("no generators");
  }

  static Stream<String> documentsWithoutGenerators() {
    return Stream.of("{}", "{\"spec\": 3}", "{\"spec\": {\"generators\": {}}}");
  }
}
