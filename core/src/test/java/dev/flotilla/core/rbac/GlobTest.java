package dev.flotilla.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  record Case(String pattern, String text, boolean matches) {
    @Override
    public String toString() {
      return "'" + pattern + "' ~ '" + text + "' = " + matches;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("*", "", true),
        new Case("*", "a/b/c", true),
        new Case("*/*", "proj/app", true),
        new Case("*/*", "projapp", false),
        new Case("proj/*", "proj/", true),
        new Case("proj/*", "proj", false),
        new Case("proj/*-db", "proj/prod-db", true),
        new Case("proj/*-db", "proj/prod-db2", false),
        new Case("a*b*c", "aXXbYYc", true),
        new Case("a*b*c", "aXXbYY", false),
        new Case("a?c", "abc", true),
        new Case("a?c", "ac", false),
        new Case("exact", "exact", true),
        new Case("exact", "exact2", false),
        new Case("", "", true),
        new Case("", "x", false),
        new Case("[ab]", "a", false),
        new Case("[ab]", "[ab]", true),
        new Case("**", "anything", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(Case c) {
    assertThat(Glob.matches(c.pattern(), c.text())).isEqualTo(c.matches());
  }

  @Test
  void hostilePatternStaysFast() {
    String pattern = "*a".repeat(500) + "b";
    String text = "a".repeat(5000);
    long start = System.nanoTime();
    assertThat(Glob.matches(pattern, text)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }
}
