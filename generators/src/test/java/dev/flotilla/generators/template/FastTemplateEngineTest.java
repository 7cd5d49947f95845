package dev.flotilla.generators.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FastTemplateEngineTest {

  record Case(String name, String template, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Map<String, Object> PARAMS =
      Map.of("name", "dev", "path.basename", "billing", "values.x", "1", "number", 3.0);

  static Stream<Case> cases() {
    return Stream.of(
        new Case("plain", "no tags", "no tags"),
        new Case("tag", "{{name}}", "dev"),
        new Case("spaces trimmed", "{{ name }}-{{  path.basename\t}}", "dev-billing"),
        new Case("dotted key", "{{values.x}}", "1"),
        new Case("unknown tag kept as written", "{{ nope }}", "{{ nope }}"),
        new Case("empty tag kept", "{{}}x", "{{}}x"),
        new Case("non-string params are not substituted", "{{number}}", "{{number}}"),
        new Case("lone opening braces pass through", "a {{ b", "a {{ b"),
        new Case("braces on different lines are not a tag", "a {{\nname}}", "a {{\nname}}"),
        new Case("go syntax is left alone", "{{ .name }}", "{{ .name }}"),
        new Case("several tags", "{{name}}/{{path.basename}}/{{name}}", "dev/billing/dev"),
        new Case(
            "an unclosed tag after a tag fails", "{{name}} {{name", "ERROR: cannot find '}}'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renders(Case c) throws Exception {
    if (c.expected().startsWith("ERROR: ")) {
      assertThatThrownBy(() -> FastTemplateEngine.INSTANCE.compile(c.template()))
          .hasMessageContaining(c.expected().substring(7));
    } else {
      assertThat(FastTemplateEngine.INSTANCE.compile(c.template()).render(PARAMS))
          .isEqualTo(c.expected());
    }
  }
}
