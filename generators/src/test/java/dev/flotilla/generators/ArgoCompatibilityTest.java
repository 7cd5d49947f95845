package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.assertResult;
import static dev.flotilla.generators.Fixtures.generate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where Argo CD's ApplicationSet controller decides a detail differently from what a reader might
 * guess, the same ApplicationSet must mean the same Applications here (issue 10). Each rule names
 * the Argo CD behaviour it follows.
 */
class ArgoCompatibilityTest {

  record Case(
      String name, String spec, Map<String, Map<String, String>> apps, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String goAppSet(String spec) {
    return GoTemplateEngineTest.appSet(spec);
  }

  /**
   * Matrix with goTemplate: Argo CD merges the second child's params into an empty map, then the
   * first child's with mergo's override, which never overrides with an empty value (false, 0, "",
   * empty map). So the first child wins unless its value is empty.
   */
  static Stream<Case> matrixPrecedence() {
    return Stream.of(
        matrix("a non-empty first value wins", "first", "second", "first"),
        matrix("a first false leaves the second's true", "false", "true", "true"),
        matrix("a first true wins over the second's false", "true", "false", "true"),
        matrix("a first 0 leaves the second's 5", "0", "5", "5"),
        matrix("a first 7 wins over the second's 0", "7", "0", "7"),
        matrix("a first empty string leaves the second's value", "''", "second", "second"),
        matrix("both empty stays empty", "''", "''", ""),
        matrix("a value only the second has is taken", null, "second", "second"));
  }

  static Case matrix(String name, String first, String second, String expected) {
    String firstElement = first == null ? "{app: a}" : "{app: a, v: " + first + "}";
    return new Case(
        name,
        """
        generators:
        - matrix:
            generators:
            - list:
                elements: [%s]
            - list:
                elements: [{cluster: c, v: %s}]
        template:
          metadata:
            name: '{{ .app }}-{{ .cluster }}'
          spec:
            project: default
            source:
              path: 'x{{ .v }}'
        """
            .formatted(firstElement, second),
        Map.of("a-c", Map.of("spec.source.path", "x" + expected)),
        List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrixPrecedence")
  void matrixParameterPrecedenceWithGoTemplate(Case c) {
    assertResult(generate(goAppSet(c.spec()), new InMemoryInputs()), c.apps(), c.errors());
  }

  @Test
  void aMatrixMergesNestedMapsKeyByKeyWithTheSameRule() {
    String spec =
        """
        generators:
        - matrix:
            generators:
            - list:
                elements: [{app: a, cfg: {tier: web, debug: false, replicas: 0}}]
            - list:
                elements: [{cluster: c, cfg: {tier: api, debug: true, replicas: 3, extra: x}}]
        template:
          metadata:
            name: '{{ .app }}-{{ .cluster }}'
          spec:
            project: default
            source:
              path: '{{ .cfg.tier }}-{{ .cfg.debug }}-{{ .cfg.replicas }}-{{ .cfg.extra }}'
        """;
    assertResult(
        generate(goAppSet(spec), new InMemoryInputs()),
        Map.of("a-c", Map.of("spec.source.path", "web-true-3-x")),
        List.of());
  }

  /**
   * Labels and annotations are {@code map[string]string}: whatever renders there is a string, as
   * Argo CD's typed round trip leaves it; the agent and the API see "3", never 3.
   */
  @Test
  void renderedLabelsAndAnnotationsStayStrings() {
    String spec =
        """
        generators:
        - list:
            elements: [{name: a, replicas: 3, enabled: true}]
        template:
          metadata:
            name: '{{ .name }}'
            labels:
              literal-number: 42
            annotations:
              replicas: '{{ .replicas }}'
          spec:
            project: default
        templatePatch: |
          metadata:
            annotations:
              unquoted: {{ .replicas }}
              flag: {{ .enabled }}
              quoted: '{{ .replicas }}'
        """;
    GenerationResult result = generate(goAppSet(spec), new InMemoryInputs());
    assertThat(result.errors()).isEmpty();
    JsonNode metadata = result.applications().get(0).document().path("metadata");
    for (String field : List.of("replicas", "unquoted", "quoted")) {
      assertThat(metadata.path("annotations").path(field).isTextual()).as(field).isTrue();
      assertThat(metadata.path("annotations").path(field).textValue()).as(field).isEqualTo("3");
    }
    assertThat(metadata.path("annotations").path("flag").textValue()).isEqualTo("true");
    assertThat(metadata.path("labels").path("literal-number").textValue()).isEqualTo("42");
  }

  @Test
  void aLabelThatRendersToAMapIsRefusedNamingIt() {
    String spec =
        """
        generators:
        - list:
            elements: [{name: a}]
        template:
          metadata:
            name: '{{ .name }}'
          spec:
            project: default
        templatePatch: |
          metadata:
            labels:
              team: {nested: map}
        """;
    assertResult(
        generate(goAppSet(spec), new InMemoryInputs()),
        Map.of(),
        List.of(
            "spec.generators[0].list.elements[0] | metadata.labels.team must be a string, not"
                + " OBJECT"));
  }

  /**
   * Argo CD ignores {@code spec.project} in a templatePatch rather than failing the set: the
   * project stays the template's (never the patched one) and the set shows a warning.
   */
  @Test
  void aTemplatePatchThatSetsTheProjectIsIgnoredWithAWarning() {
    String spec =
        """
        generators:
        - list:
            elements: [{name: a, team: platform}, {name: b, team: platform}]
        template:
          metadata:
            name: '{{ .name }}'
          spec:
            project: team-a
        templatePatch: |
          metadata:
            labels:
              team: '{{ .team }}'
          spec:
            project: '{{ .team }}'
        """;
    GenerationResult result = generate(goAppSet(spec), new InMemoryInputs());
    assertThat(result.errors()).isEmpty();
    assertThat(result.applications())
        .extracting(GeneratedApplication::project)
        .containsExactly("team-a", "team-a");
    assertThat(
            result
                .applications()
                .get(0)
                .document()
                .path("metadata")
                .path("labels")
                .path("team")
                .asText())
        .isEqualTo("platform");
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.location()).isEqualTo("spec.templatePatch");
              assertThat(w.message()).contains("spec.project in a templatePatch is ignored");
            });
  }

  @Test
  void aTemplatePatchThatLeavesTheProjectAloneWarnsOfNothing() {
    String spec =
        """
        generators:
        - list:
            elements: [{name: a}]
        template:
          metadata:
            name: '{{ .name }}'
          spec:
            project: default
        templatePatch: |
          metadata:
            labels:
              patched: 'yes'
        """;
    assertThat(generate(goAppSet(spec), new InMemoryInputs()).warnings()).isEmpty();
  }
}
