package dev.flotilla.render.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionConstraintTest {

  private static final List<String> PUBLISHED =
      List.of(
          "0.0.3",
          "0.2.3",
          "0.2.9",
          "0.3.0",
          "1.0.0",
          "1.1.9",
          "1.2.0",
          "1.2.3",
          "1.2.10",
          "1.3.0-rc.1",
          "1.3.0",
          "1.4.5",
          "1.5.0",
          "2.0.0-beta.1",
          "2.0.0",
          "v2.1.0",
          "10.0.0");

  record Case(
      String constraint, String newest, List<String> alsoMatching, List<String> notMatching) {
    @Override
    public String toString() {
      return constraint;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("1.2.3", "1.2.3", List.of(), List.of("1.2.10", "1.2.3-rc.1")),
        new Case("v1.2.3", "1.2.3", List.of(), List.of("1.2.4")),
        new Case("=1.2.3", "1.2.3", List.of(), List.of("1.2.4")),
        new Case("1.2.*", "1.2.10", List.of("1.2.0", "1.2.3"), List.of("1.3.0", "1.1.9")),
        new Case("1.2.x", "1.2.10", List.of("1.2.0"), List.of("1.3.0")),
        new Case("1.2", "1.2.10", List.of("1.2.0"), List.of("1.3.0")),
        new Case("1.x", "1.5.0", List.of("1.0.0"), List.of("2.0.0", "0.3.0")),
        new Case("*", "10.0.0", List.of("0.0.3"), List.of("2.0.0-beta.1", "1.3.0-rc.1")),
        new Case(">=1.0.0 <2.0.0", "1.5.0", List.of("1.0.0"), List.of("2.0.0", "0.3.0")),
        new Case(">=1.0, <2", "1.5.0", List.of("1.0.0"), List.of("2.0.0")),
        new Case(">= 1.2.3, < 1.4", "1.3.0", List.of("1.2.3"), List.of("1.4.5", "1.2.0")),
        new Case(">1.2.3", "10.0.0", List.of("1.2.10"), List.of("1.2.3")),
        new Case(">1.2", "10.0.0", List.of("1.3.0"), List.of("1.2.10")),
        new Case("<1.2.3", "1.2.0", List.of("0.0.3"), List.of("1.2.3")),
        new Case("<=1.2", "1.2.10", List.of("1.2.0"), List.of("1.3.0")),
        new Case("!=1.5.0", "10.0.0", List.of("1.4.5"), List.of("1.5.0")),
        new Case("~1.2.3", "1.2.10", List.of("1.2.3"), List.of("1.2.0", "1.3.0")),
        new Case("~1.2", "1.2.10", List.of("1.2.0"), List.of("1.3.0")),
        new Case("~1", "1.5.0", List.of("1.0.0"), List.of("2.0.0")),
        new Case("^1.2", "1.5.0", List.of("1.2.0"), List.of("1.1.9", "2.0.0")),
        new Case("^1.2.3", "1.5.0", List.of("1.2.3"), List.of("1.2.0")),
        new Case("^0.2.3", "0.2.9", List.of("0.2.3"), List.of("0.3.0")),
        new Case("^0.0.3", "0.0.3", List.of(), List.of("0.0.4", "0.2.3")),
        new Case("^0", "0.3.0", List.of("0.0.3"), List.of("1.0.0")),
        new Case("1.2 - 1.4", "1.4.5", List.of("1.2.0", "1.3.0"), List.of("1.5.0", "1.1.9")),
        new Case("1.2.3 - 1.4.0", "1.3.0", List.of("1.2.3"), List.of("1.4.5")),
        new Case("^1.2 || ^10", "10.0.0", List.of("1.2.0", "1.5.0"), List.of("2.0.0")),
        new Case(">=2.0.0-beta.0", "10.0.0", List.of("2.0.0-beta.1"), List.of("1.5.0")),
        new Case("1.3.0-rc.1", "1.3.0-rc.1", List.of(), List.of("1.3.0")),
        new Case("9.*", null, List.of(), List.of("10.0.0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void picksTheNewestMatchingVersionAsHelmDoes(Case c) {
    VersionConstraint constraint = VersionConstraint.parse(c.constraint());
    List<SemanticVersion> published =
        PUBLISHED.stream().map(v -> SemanticVersion.parse(v).orElseThrow()).toList();
    assertThat(constraint.newest(published).map(SemanticVersion::toString).orElse(null))
        .isEqualTo(c.newest());
    for (String v : c.alsoMatching()) {
      assertThat(constraint.matches(SemanticVersion.parse(v).orElseThrow())).as(v).isTrue();
    }
    for (String v : c.notMatching()) {
      assertThat(constraint.matches(SemanticVersion.parse(v).orElseThrow())).as(v).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.2.3", "v1.2.3", "1.2.3-rc.1", "1.2.3+build.7"})
  void aPlainVersionIsExact(String text) {
    assertThat(VersionConstraint.parse(text).exactVersion()).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.2", "1.2.*", "^1.2.3", ">=1.2.3", "1.2.3 || 1.2.4"})
  void aRangeIsNotExact(String text) {
    assertThat(VersionConstraint.parse(text).exactVersion()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HEAD", "main", "1.2.3.4", ">=1.0 || ", "latest", "=>"})
  void somethingElseIsRefusedNamingIt(String text) {
    assertThatThrownBy(() -> VersionConstraint.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text.trim().isEmpty() ? "empty" : "'");
  }

  @ParameterizedTest(name = "{0} < {1}")
  @MethodSource("ordered")
  void ordersBySemverPrecedence(String lower, String higher) {
    assertThat(SemanticVersion.parse(lower).orElseThrow())
        .isLessThan(SemanticVersion.parse(higher).orElseThrow());
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> ordered() {
    return Stream.of(
            "1.0.0-alpha<1.0.0-alpha.1",
            "1.0.0-alpha.1<1.0.0-alpha.beta",
            "1.0.0-alpha.beta<1.0.0-beta",
            "1.0.0-beta.2<1.0.0-beta.11",
            "1.0.0-rc.1<1.0.0",
            "1.2.9<1.2.10",
            "1.9.0<1.10.0")
        .map(s -> s.split("<"))
        .map(p -> org.junit.jupiter.params.provider.Arguments.of(p[0], p[1]));
  }
}
