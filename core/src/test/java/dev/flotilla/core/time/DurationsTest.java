package dev.flotilla.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {

  record Case(String text, Duration expected) {
    @Override
    public String toString() {
      return "'" + text + "'";
    }
  }

  static Stream<Case> valid() {
    return Stream.of(
        new Case("300ms", Duration.ofMillis(300)),
        new Case("30s", Duration.ofSeconds(30)),
        new Case("3m", Duration.ofMinutes(3)),
        new Case("1h30m", Duration.ofMinutes(90)),
        new Case("1.5h", Duration.ofMinutes(90)),
        new Case(".5s", Duration.ofMillis(500)),
        new Case("1.s", Duration.ofSeconds(1)),
        new Case("2h45m30.5s", Duration.ofSeconds(2 * 3600 + 45 * 60 + 30).plusMillis(500)),
        new Case("10ns", Duration.ofNanos(10)),
        new Case("7us", Duration.ofNanos(7_000)),
        new Case("7\u00b5s", Duration.ofNanos(7_000)),
        new Case("7\u03bcs", Duration.ofNanos(7_000)),
        new Case("1.0000000009s", Duration.ofSeconds(1)), // below a nanosecond is dropped, as Go
        new Case("0", Duration.ZERO),
        new Case("0s", Duration.ZERO),
        new Case("+5s", Duration.ofSeconds(5)),
        new Case(" 5s ", Duration.ofSeconds(5)),
        new Case("30d", Duration.ofDays(30)),
        new Case("1d12h", Duration.ofHours(36)),
        new Case("2562047h", Duration.ofHours(2_562_047)), // Go's largest whole number of hours
        new Case("PT3M", Duration.ofMinutes(3)),
        new Case("pt90s", Duration.ofSeconds(90)),
        new Case("P1D", Duration.ofDays(1)),
        new Case("PT0S", Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesGoIsoAndDays(Case c) {
    assertThat(Durations.parse(c.text())).isEqualTo(c.expected());
  }

  record Bad(String text, String message) {
    @Override
    public String toString() {
      return "'" + text + "'";
    }
  }

  static final String FORMS = "use 30s, 3m, 1h30m, 30d (or ISO-8601 such as PT3M)";

  static Stream<Bad> invalid() {
    return Stream.of(
        new Bad("", "an empty text is not a duration: " + FORMS),
        new Bad("   ", "an empty text is not a duration: " + FORMS),
        new Bad(null, "an empty text is not a duration: " + FORMS),
        new Bad("5x", "'5x' is not a duration: " + FORMS),
        new Bad("h", "'h' is not a duration: " + FORMS),
        new Bad("5", "'5' is not a duration: " + FORMS),
        new Bad("3 minutes", "'3 minutes' is not a duration: " + FORMS),
        new Bad("1h 30m", "'1h 30m' is not a duration: " + FORMS),
        new Bad(".s", "'.s' is not a duration: " + FORMS),
        new Bad("1..5s", "'1..5s' is not a duration: " + FORMS),
        new Bad("1.2.3s", "'1.2.3s' is not a duration: " + FORMS),
        new Bad("-", "'-' is not a duration: " + FORMS),
        new Bad("5S", "'5S' is not a duration: " + FORMS),
        new Bad("P", "'P' is not a duration: " + FORMS),
        new Bad("PT3X", "'PT3X' is not a duration: " + FORMS),
        new Bad("2562048h", "'2562048h' is too long: a duration may be at most about 292 years"),
        new Bad(
            "99999999999999999999s",
            "'99999999999999999999s' is too long: a duration may be at most about 292 years"),
        new Bad("-5s", "'-5s' is negative: a duration must be zero or more (" + FORMS + ")"),
        new Bad("-PT5S", "'-PT5S' is negative: a duration must be zero or more (" + FORMS + ")"),
        new Bad("PT-5S", "'PT-5S' is negative: a duration must be zero or more (" + FORMS + ")"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithAMessageNamingTheTextAndTheForms(Bad c) {
    assertThatThrownBy(() -> Durations.parse(c.text()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message());
  }

  record Shown(Duration duration, String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  static Stream<Shown> formatted() {
    return Stream.of(
        new Shown(Duration.ZERO, "0s"),
        new Shown(Duration.ofMinutes(3), "3m"),
        new Shown(Duration.ofSeconds(90), "1m30s"),
        new Shown(Duration.ofMinutes(90), "1h30m"),
        new Shown(Duration.ofHours(36), "1d12h"),
        new Shown(Duration.ofDays(30), "30d"),
        new Shown(Duration.ofSeconds(3601), "1h1s"),
        new Shown(Duration.ofMillis(90_500), "1m30.5s"),
        new Shown(Duration.ofMillis(300), "300ms"),
        new Shown(Duration.ofNanos(1_500_000), "1.5ms"),
        new Shown(Duration.ofNanos(7_000), "7us"),
        new Shown(Duration.ofNanos(10), "10ns"),
        new Shown(Duration.ofSeconds(-90), "-1m30s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formatted")
  void formatsTheShortFormThatParsesBack(Shown c) {
    assertThat(Durations.format(c.duration())).isEqualTo(c.text());
    if (!c.duration().isNegative()) {
      assertThat(Durations.parse(c.text())).isEqualTo(c.duration());
    }
  }
}
