package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.git.GitCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YAML bombs under the alias limit, huge repeated scalars and 2,000-deep JSON against every YAML
 * and JSON entry point of the agent (manifest files, Helm value files and inline values, the Git
 * credentials file): each is refused with a message naming the file and the limit. Runs in its own
 * surefire execution with {@code -Xmx128m} (see the pom), where an expanded bomb would die of
 * OutOfMemoryError.
 */
class HostileManifestTest {

  static final ObjectMapper JSON = new ObjectMapper();

  final TestCheckout repo = new TestCheckout();
  final ManifestRenderer renderer = new ManifestRenderer(RenderLimits.DEFAULT);

  @AfterEach
  void cleanUp() {
    repo.close();
  }

  record Bomb(String name, String text, String refusal, boolean stream) {}

  /** Where a hostile text goes in; returns the error reported, or "accepted". */
  interface EntryPoint {
    String errorFor(HostileManifestTest test, String text) throws Exception;
  }

  record Target(String name, String namedAs, EntryPoint entryPoint, boolean readsStreams) {}

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
    String sequences = levels("a0: &a0 [x, x, x]\n", "a%i: &a%i [*a%p, *a%p, *a%p]\n");
    return List.of(
        new Bomb("3 x 16 nested sequences (48 aliases)", sequences, EXPANDS, false),
        new Bomb(
            "3 x 16 maps of maps",
            levels("m0: &m0 {k: v, l: v, n: v}\n", "m%i: &m%i {k: *m%p, l: *m%p, n: *m%p}\n"),
            EXPANDS,
            false),
        new Bomb(
            "merge keys <<: *b",
            levels("b0: &b0 {x: [x, x, x]}\n", "b%i: &b%i {<<: *b%p, y: *b%p, z: *b%p}\n"),
            EXPANDS,
            false),
        new Bomb(
            "200 KB scalar aliased 50 times (10 MB)",
            "s: &s '"
                + "x".repeat(200_000)
                + "'\nlist: ["
                + Stream.generate(() -> "*s").limit(50).collect(Collectors.joining(", "))
                + "]\n",
            EXPANDS,
            false),
        new Bomb(
            "bomb in the second document of a stream",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n" + sequences,
            "document 2: document expands to more than",
            true),
        new Bomb(
            "JSON nested 2,000 deep",
            "{\"deep\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}",
            "nests deeper than 100 levels",
            false));
  }

  static List<Target> targets() {
    return List.of(
        new Target(
            "manifest file",
            "d/bad.yaml",
            (t, text) -> {
              t.repo.write("d/bad.yaml", text);
              return t.render("{\"path\":\"d\"}");
            },
            true),
        new Target(
            "Helm value file",
            "helm value file charts/web/bad-values.yaml",
            (t, text) -> {
              t.writeChart();
              t.repo.write("charts/web/bad-values.yaml", text);
              return t.render(
                  "{\"path\":\"charts/web\",\"helm\":{\"valueFiles\":[\"bad-values.yaml\"]}}");
            },
            true),
        new Target(
            "Helm inline values",
            "helm values of app",
            (t, text) -> {
              t.writeChart();
              ObjectNode source = JSON.createObjectNode().put("path", "charts/web");
              source.putObject("helm").put("values", text);
              return t.render(JSON.writeValueAsString(source));
            },
            true),
        new Target(
            "Git credentials file",
            "credentials.yaml",
            (t, text) -> {
              Path file = t.repo.root.resolve("credentials.yaml");
              Files.writeString(file, text);
              try {
                GitCredentials.load(file);
                return "accepted";
              } catch (Exception e) {
                return e.getMessage();
              }
            },
            false));
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Bomb bomb : bombs()) {
      for (Target target : targets()) {
        if (!bomb.stream() || target.readsStreams()) {
          cases.add(new Case(bomb, target));
        }
      }
    }
    return cases.stream();
  }

  void writeChart() {
    repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
        .write("charts/web/values.yaml", "greeting: hello\n")
        .write(
            "charts/web/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\n"
                + "data:\n  greeting: {{ .Values.greeting | quote }}\n");
  }

  String render(String source) {
    RenderRequest app =
        TestRequests.parse(
            "app", "default", "{\"source\":" + source + ",\"destination\":{\"namespace\":\"ns\"}}");
    try {
      renderer.render(app, repo.root);
      return "accepted";
    } catch (RenderException e) {
      return e.getMessage();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesNamingTheFileAndTheLimit(Case c) throws Exception {
    String error = c.target().entryPoint().errorFor(this, c.bomb().text());

    assertThat(error).contains(c.target().namedAs()).contains(c.bomb().refusal());
  }

  /** Item 13 of issue 15: this was a NullPointerException from the parser's missing location. */
  @Test
  void deeplyNestedJsonManifestNamesTheFileAndTheLimit() {
    repo.write("d/deep.json", "{\"a\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}");

    assertThat(render("{\"path\":\"d\"}"))
        .isEqualTo("d/deep.json: refused: document nests deeper than 100 levels, the limit");
  }

  @Test
  void helmValuesWithAnchorsStillRender() {
    writeChart();
    repo.write(
        "charts/web/anchored-values.yaml",
        "common: &common {greeting: anchored}\ngreeting: placeholder\n<<: *common\n");
    repo.write(
        "charts/web/more-values.yaml", "defaults: &d {x: 1}\ncopy: *d\nmerged: {<<: *d, y: 2}\n");

    assertThat(
            render(
                "{\"path\":\"charts/web\",\"helm\":{\"valueFiles\":"
                    + "[\"more-values.yaml\",\"anchored-values.yaml\"]}}"))
        .isEqualTo("accepted");
  }
}
