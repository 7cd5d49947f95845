package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.git.GitLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentCommandGitLimitsTest {

  private static final String[] REQUIRED = {"--control-plane", "cp:9090", "--cluster", "c1"};

  private static AgentCommand parse(String... args) {
    AgentCommand command = new AgentCommand();
    String[] all = new String[REQUIRED.length + args.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(args, 0, all, REQUIRED.length, args.length);
    AgentCommand.commandLine(command).parseArgs(all);
    return command;
  }

  @Test
  void defaultsAndFlagsBecomeTheGitLimits() {
    assertThat(parse().gitLimits()).isEqualTo(GitLimits.DEFAULTS);
    assertThat(
            parse(
                    "--git-timeout",
                    "PT5S",
                    "--git-deadline",
                    "PT2M",
                    "--max-checkout-mib",
                    "10",
                    "--max-checkout-files",
                    "7")
                .gitLimits())
        .isEqualTo(new GitLimits(Duration.ofSeconds(5), 10L << 20, 7, Duration.ofMinutes(2)));
    assertThat(AgentCommand.commandLine(new AgentCommand()).getUsageMessage())
        .contains("--git-timeout", "--git-deadline", "--max-checkout-mib", "--max-checkout-files");
  }

  @Test
  void theFetchSizeLimitIsAFlagInMib() {
    assertThat(parse("--git-max-fetch-mib", "100").gitLimits().maxFetchBytes())
        .isEqualTo(100L << 20);
    assertThatThrownBy(() -> parse("--git-max-fetch-mib", "0").gitLimits())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--git-max-fetch-mib must be a positive number of MiB, not 0");
  }

  @Test
  void durationFlagsTakeTheShortFormAndIsoAlike() {
    assertThat(parse("--git-timeout", "5s", "--git-deadline", "1h30m").gitLimits())
        .isEqualTo(parse("--git-timeout", "PT5S", "--git-deadline", "PT1H30M").gitLimits())
        .extracting(GitLimits::deadline)
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(parse("--resync-interval", "2m").resyncInterval).isEqualTo(Duration.ofMinutes(2));
    assertThat(AgentCommand.commandLine(new AgentCommand()).getUsageMessage())
        .contains("Default: 60s", "Default: 10m", "Default: 90s")
        .doesNotContain("PT");
  }

  @Test
  void aDurationThatIsNotOneIsRefusedNamingTheFlagAndTheForms() {
    assertThatThrownBy(() -> parse("--git-timeout", "5 seconds"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--git-timeout")
        .hasMessageContaining(
            "'5 seconds' is not a duration: use 30s, 3m, 1h30m, 30d (or ISO-8601 such as PT3M)");
  }

  @Test
  void limitsThatCannotWorkAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> parse("--git-timeout", "PT0S").gitLimits())
        .hasMessageContaining("--git-timeout must be at least one second");
    assertThatThrownBy(() -> parse("--git-deadline", "PT0.5S").gitLimits())
        .hasMessageContaining("--git-deadline must be at least one second");
    assertThatThrownBy(() -> parse("--max-checkout-mib", "0").gitLimits())
        .hasMessageContaining("--max-checkout-mib must be a positive number");
    assertThatThrownBy(() -> parse("--max-checkout-files", "-1").gitLimits())
        .hasMessageContaining("--max-checkout-files must be positive");
  }
}
