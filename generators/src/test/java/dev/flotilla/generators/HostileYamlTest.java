package dev.flotilla.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.core.yaml.YamlLimits;
import java.io.IOException;
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
 * YAML bombs that stay under the alias limit (48 aliases expanding to tens of millions of nodes),
 * huge repeated scalars and 2,000-deep JSON, against every YAML and JSON entry point of the
 * generators: each is refused with a message naming the limit. Runs in its own surefire execution
 * with {@code -Xmx128m} (see the pom): before expansion was bounded these died of OutOfMemoryError.
 */
class HostileYamlTest {

  static final String REPO = "https://git.example.com/hostile.git";

  /** A hostile document; {@code json} ones are JSON, {@code stream} ones hold several documents. */
  record Bomb(String name, String text, String refusal, boolean json, boolean stream) {}

  /** An entry point: returns the error it reports for {@code text}, or "accepted". */
  interface EntryPoint {
    String errorFor(String text) throws Exception;
  }

  record Target(String name, EntryPoint entryPoint, boolean readsYaml, boolean readsStreams) {}

  record Case(Bomb bomb, Target target) {
    @Override
    public String toString() {
      return bomb.name() + " -> " + target.name();
    }
  }

  /** 3 aliases per level, 16 levels: 48 aliases, 3^17 leaves. */
  static String nestedSequences() {
    StringBuilder out = new StringBuilder("a0: &a0 [x, x, x]\n");
    for (int i = 1; i <= 16; i++) {
      out.append("a%d: &a%d [*a%d, *a%d, *a%d]\n".formatted(i, i, i - 1, i - 1, i - 1));
    }
    return out.toString();
  }

  static String nestedMaps() {
    StringBuilder out = new StringBuilder("m0: &m0 {k: v, l: v, n: v}\n");
    for (int i = 1; i <= 16; i++) {
      out.append("m%d: &m%d {k: *m%d, l: *m%d, n: *m%d}\n".formatted(i, i, i - 1, i - 1, i - 1));
    }
    return out.toString();
  }

  /** Each level merges the one before and refers to it twice more: 3^16 again, via merge keys. */
  static String mergeKeys() {
    StringBuilder out = new StringBuilder("b0: &b0 {x: [x, x, x]}\n");
    for (int i = 1; i <= 16; i++) {
      out.append("b%d: &b%d {<<: *b%d, y: *b%d, z: *b%d}\n".formatted(i, i, i - 1, i - 1, i - 1));
    }
    return out.toString();
  }

  /** Aliases to scalars are not counted by SnakeYAML at all: 50 copies of 100 KB is 5 MB. */
  static String repeatedScalar() {
    return "s: &s '"
        + "x".repeat(100_000)
        + "'\nlist: ["
        + Stream.generate(() -> "*s").limit(50).collect(Collectors.joining(", "))
        + "]\n";
  }

  static String deepJson() {
    return "{\"deep\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}";
  }

  static final String EXPANDS = "expands to more than";

  static List<Bomb> bombs() {
    return List.of(
        new Bomb("3 x 16 nested sequences", nestedSequences(), EXPANDS, false, false),
        new Bomb("3 x 16 maps of maps", nestedMaps(), EXPANDS, false, false),
        new Bomb("merge keys <<: *b", mergeKeys(), EXPANDS, false, false),
        new Bomb("100 KB scalar aliased 50 times", repeatedScalar(), EXPANDS, false, false),
        new Bomb(
            "bomb in the second document of a stream",
            "ok: 1\n---\n" + nestedSequences(),
            "document 2: document expands to more than",
            false,
            true),
        new Bomb("JSON nested 2,000 deep", deepJson(), "nests deeper than 100", true, false));
  }

  static String appSet(String generators, String extra) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: h\nspec:\n"
        + "  goTemplate: true\n  generators:\n"
        + ListGeneratorTest.indent(generators, 2)
        + "\n  template:\n    metadata:\n      name: '{{ .name }}'\n"
        + "      annotations: {a: '{{ .a }}'}\n    spec:\n      project: default\n"
        + extra;
  }

  static String block(String text, int spaces) {
    return "|\n" + ListGeneratorTest.indent(text, spaces) + "\n";
  }

  static String errors(GenerationResult result) {
    return result.errors().isEmpty()
        ? "accepted"
        : result.errors().stream().map(GenerationError::toString).collect(Collectors.joining("\n"));
  }

  static List<Target> targets() {
    BoundedYaml loader = new BoundedYaml(1 << 20);
    return List.of(
        new Target("BoundedYaml.read", t -> accepted(loader.read(t)), true, false),
        new Target("BoundedYaml.readAll", t -> accepted(loader.readAll(t)), true, true),
        new Target("BoundedYaml.readJson", t -> accepted(loader.readJson(t)), false, false),
        new Target(
            "ApplicationSetParser",
            t -> {
              try {
                ApplicationSetParser.parse(
                    appSet(
                        "- list: {elements: [{name: a}]}",
                        "x:\n" + ListGeneratorTest.indent(t, 2) + "\n"));
                return "accepted";
              } catch (InvalidApplicationSetException e) {
                return e.getMessage();
              }
            },
            true,
            false),
        new Target(
            "list generator elementsYaml",
            t ->
                errors(
                    Fixtures.generate(
                        appSet("- list:\n    elementsYaml: " + block(t, 6), ""),
                        new InMemoryInputs())),
            true,
            false),
        new Target(
            "git files generator",
            t ->
                errors(
                    Fixtures.generate(
                        appSet(
                            "- git:\n    repoURL: "
                                + REPO
                                + "\n    revision: HEAD\n    files: [{path: 'cfg/*'}]\n",
                            ""),
                        new InMemoryInputs().file(REPO, "cfg/bomb", t))),
            true,
            false),
        new Target(
            "templatePatch",
            t ->
                errors(
                    Fixtures.generate(
                        appSet(
                            "- list: {elements: [{name: a, a: x}]}",
                            "  templatePatch: " + block(t, 4)),
                        new InMemoryInputs())),
            true,
            false),
        new Target("fromYaml", t -> templateFunction("fromYaml", t), true, false),
        new Target("fromJson", t -> templateFunction("fromJson", t), false, false));
  }

  /** {@code {{ fn .a }}} in an annotation, with the document as a list element's value. */
  static String templateFunction(String function, String text) {
    String set =
        appSet("- list:\n    elements:\n    - name: a\n      a: " + block(text, 8), "")
            .replace("'{{ .a }}'", "'{{ " + function + " .a }}'");
    return errors(Fixtures.generate(set, new InMemoryInputs()));
  }

  static String accepted(Object ignored) {
    return "accepted";
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Bomb bomb : bombs()) {
      for (Target target : targets()) {
        boolean applies =
            bomb.json() || (target.readsYaml() && (!bomb.stream() || target.readsStreams()));
        if (applies) {
          cases.add(new Case(bomb, target));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesWithTheLimit(Case c) {
    String error;
    try {
      error = c.target().entryPoint().errorFor(c.bomb().text());
    } catch (YamlException e) {
      error = e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(error).contains(c.bomb().refusal());
  }

  @Test
  void anchorsAndMergeKeysInOrdinaryFilesStillWork() throws Exception {
    String values =
        """
        defaults: &defaults
          replicas: 2
          image: {repository: nginx, tag: "1.27"}
          when: 2024-01-02
        production:
          <<: *defaults
          replicas: 5
        canary: *defaults
        regions: &regions [eu, us]
        failover: *regions
        """;
    String expected =
        """
        {"defaults":{"replicas":2,"image":{"repository":"nginx","tag":"1.27"},"when":"2024-01-02"},
         "production":{"replicas":5,"image":{"repository":"nginx","tag":"1.27"},"when":"2024-01-02"},
         "canary":{"replicas":2,"image":{"repository":"nginx","tag":"1.27"},"when":"2024-01-02"},
         "regions":["eu","us"],"failover":["eu","us"]}
        """;
    JsonNode want = new ObjectMapper().readTree(expected);
    BoundedYaml loader = new BoundedYaml(1 << 20);
    assertThat(loader.read(values)).isEqualTo(want);
    assertThat(loader.readAll("---\n" + values + "---\n" + values)).containsExactly(want, want);
    assertThat(loader.readJson(expected)).isEqualTo(want);
  }

  @Test
  void aStreamSharesOneBudget() throws Exception {
    // Each document alone fits; together they pass the node limit of the stream.
    String doc = "x: [" + "1, ".repeat(599) + "1]\n";
    BoundedYaml loader = new BoundedYaml(new YamlLimits(1 << 20, 1_000, 50));
    assertThat(loader.read(doc).path("x").size()).isEqualTo(600);
    String error;
    try {
      loader.readAll(doc + "---\n" + doc);
      error = "accepted";
    } catch (YamlException e) {
      error = e.getMessage();
    }
    assertThat(error)
        .isEqualTo(
            "document 2: document expands to more than 1000 nodes, the limit (YAML aliases?)");
  }

  @Test
  void readFileNamesTheFileAndTheLimit(@TempDir Path dir) throws Exception {
    BoundedYaml loader = new BoundedYaml(1 << 20);
    Path bomb = Files.writeString(dir.resolve("bomb.yaml"), nestedSequences());
    Path big = Files.writeString(dir.resolve("big.yaml"), "x: '" + "y".repeat(2 << 20) + "'\n");

    assertThatThrownBy(() -> loader.readFile(bomb))
        .isInstanceOf(IOException.class)
        .hasMessage(
            bomb + ": document expands to more than 262144 nodes, the limit (YAML aliases?)");
    assertThatThrownBy(() -> loader.readFile(big))
        .isInstanceOf(IOException.class)
        .hasMessage(big + ": larger than the limit of 1048576 bytes");
    assertThat(loader.readFile(Files.writeString(dir.resolve("ok.yaml"), "a: &a [1]\nb: *a\n")))
        .hasToString("{\"a\":[1],\"b\":[1]}");
  }

  @Test
  void aRecursiveStructureIsRefused() {
    String error;
    try {
      new BoundedYaml(1 << 20).read("a: &a [1, *a]\n");
      error = "accepted";
    } catch (YamlException e) {
      error = e.getMessage();
    }
    assertThat(error).contains("refers to itself");
  }
}
