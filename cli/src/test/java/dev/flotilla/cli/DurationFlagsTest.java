package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every duration flag of {@code flotilla} takes the short form ({@code 3m}) and ISO-8601 alike. */
class DurationFlagsTest {

  record Case(String subcommand, String flag, String value, Duration expected) {
    @Override
    public String toString() {
      return subcommand + " " + flag + " " + value;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("server", "--git-poll-interval", "90s", Duration.ofSeconds(90)),
        new Case("server", "--git-poll-interval", "PT90S", Duration.ofSeconds(90)),
        new Case("server", "--git-poll-interval", "1h30m", Duration.ofMinutes(90)),
        new Case("agent", "--render-timeout", "5m", Duration.ofMinutes(5)),
        new Case("agent", "--render-timeout", "pt5m", Duration.ofMinutes(5)),
        new Case("agent", "--git-deadline", "1.5h", Duration.ofMinutes(90)),
        new Case("demo", "--timeout", "2m", Duration.ofMinutes(2)),
        new Case("demo", "--poll-interval", "PT3S", Duration.ofSeconds(3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bothFormsAreRead(Case c) {
    CommandLine.ParseResult parsed =
        FlotillaCli.commandLine().parseArgs(args(c.subcommand(), c.flag(), c.value()));
    Duration value = parsed.subcommand().matchedOptionValue(c.flag(), null);
    assertThat(value).isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void helpShowsTheShortForm(Case c) {
    CliRunner.Run run = CliRunner.run(c.subcommand(), "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(c.flag()).doesNotContainPattern("Default: P(T)?[0-9]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBadValueIsRefusedNamingTheFlagAndTheForms(Case c) {
    CliRunner.Run run = CliRunner.run(args(c.subcommand(), c.flag(), "3 minutes"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "Invalid value for option '"
                + c.flag()
                + "': '3 minutes' is not a duration: use 30s, 3m, 1h30m, 30d"
                + " (or ISO-8601 such as PT3M)");
  }

  /** The agent's required flags, so that only the duration is under test. */
  private static String[] args(String subcommand, String flag, String value) {
    return subcommand.equals("agent")
        ? new String[] {subcommand, "--control-plane", "cp:9090", "--cluster", "c1", flag, value}
        : new String[] {subcommand, flag, value};
  }
}
