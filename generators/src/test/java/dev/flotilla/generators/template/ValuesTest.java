package dev.flotilla.generators.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's printing of values and Argo's name normalisation. */
class ValuesTest {

  record Case(String name, Object value, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> formats() {
    return Stream.of(
        new Case("integral float", 3.0, "3"),
        new Case("fraction", 0.25, "0.25"),
        new Case("six digits stay plain", 123456.0, "123456"),
        new Case("a million uses an exponent", 1000000.0, "1e+06"),
        new Case("large with fraction digits", 1234567.0, "1.234567e+06"),
        new Case("small", 0.00001, "1e-05"),
        new Case("negative", -2.5, "-2.5"),
        new Case("long", 42L, "42"),
        new Case("bool", true, "true"),
        new Case("nil", null, "<nil>"),
        new Case("list", List.of("a", 1.0), "[a 1]"),
        new Case("map sorted", new LinkedHashMap<>(Map.of("b", "2", "a", "1")), "map[a:1 b:2]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void formatsLikeGo(Case c) {
    assertThat(Values.format(c.value())).isEqualTo(c.expected());
  }

  static Stream<Case> normalized() {
    return Stream.of(
        new Case("lower-cased", "Prod-EU", "prod-eu"),
        new Case("invalid characters become dashes", "my_app@v1", "my-app-v1"),
        new Case("dots kept", "a.b", "a.b"),
        new Case("leading and trailing dashes and dots trimmed", "-_.a.-", "a"),
        new Case("cut at 253", "a".repeat(300), "a".repeat(253)),
        new Case("unicode becomes dashes", "café", "caf"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("normalized")
  void normalizesLikeArgo(Case c) {
    assertThat(Names.normalize((String) c.value())).isEqualTo(c.expected());
  }
}
