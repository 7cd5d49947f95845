package dev.flotilla.generators.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.generators.gotemplate.GoTemplateEngine;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The renderer's own guard, for templates that reach it without the validator (a stored document, a
 * future code path): an Application always gets exactly the project its template names literally,
 * or none is rendered.
 */
class ApplicationRendererProjectTest {

  /**
   * @param refusal a fragment of the refusal, or null when it renders with {@code project}
   */
  record Case(
      String name,
      String template,
      String patch,
      Map<String, Object> params,
      String refusal,
      String project) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "a literal project renders as written",
            "{metadata: {name: a}, spec: {project: team-a}}",
            null,
            Map.of(),
            null,
            "team-a"),
        new Case(
            "no project renders with none",
            "{metadata: {name: a}, spec: {}}",
            null,
            Map.of(),
            null,
            ""),
        new Case(
            "a templated project value",
            "{metadata: {name: a}, spec: {project: '{{p}}'}}",
            null,
            Map.of("p", "platform"),
            "project is 'platform' but its template names '{{p}}'",
            null),
        new Case(
            "a templated key rendering to project overrides the literal one",
            "{metadata: {name: a}, spec: {project: team-a, '{{k}}': platform}}",
            null,
            Map.of("k", "project"),
            "project is 'platform' but its template names 'team-a'",
            null),
        new Case(
            "a templated key rendering to project where none was named",
            "{metadata: {name: a}, spec: {'{{k}}': platform}}",
            null,
            Map.of("k", "project"),
            "project is 'platform' but its template names ''",
            null),
        new Case(
            "a project that is not a string",
            "{metadata: {name: a}, spec: {project: [platform]}}",
            null,
            Map.of(),
            "names no literal project",
            null),
        new Case(
            "a templatePatch that removes the project is ignored",
            "{metadata: {name: a}, spec: {project: team-a}}",
            "spec: {project: null}",
            Map.of(),
            null,
            "team-a"),
        new Case(
            "a templatePatch that sets another project is ignored",
            "{metadata: {name: a}, spec: {project: team-a}}",
            "spec: {project: platform}",
            Map.of(),
            null,
            "team-a"),
        new Case(
            "a templatePatch that sets the same project is harmless",
            "{metadata: {name: a}, spec: {project: team-a}}",
            "spec: {project: team-a}",
            Map.of(),
            null,
            "team-a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anApplicationGetsExactlyTheProjectItsTemplateNames(Case c) throws Exception {
    JsonNode template = new BoundedYaml(1 << 16).read(c.template());
    GoTemplateEngine go = new GoTemplateEngine(List.of());
    TemplateEngine engine = c.patch() == null ? FastTemplateEngine.INSTANCE : go;
    ApplicationRenderer renderer =
        new ApplicationRenderer(template, engine, c.patch(), go, false, null);
    if (c.refusal() == null) {
      assertThat(renderer.render(c.params()).project()).isEqualTo(c.project());
    } else {
      assertThatThrownBy(() -> renderer.render(c.params()))
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining(c.refusal());
    }
  }
}
