package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.GitLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder that replaced AgentConfig's positional constructors names every value. */
class AgentConfigBuilderTest {

  @Test
  void unsetValuesAreTheAgentCommandsDefaults() {
    AgentCommand command = new AgentCommand();
    AgentCommand.commandLine(command).parseArgs("--control-plane", "cp:9090", "--cluster", "c1");

    AgentConfig config = AgentConfig.builder("cp:9090", "c1", "t").build();

    assertThat(config.resyncInterval()).isEqualTo(command.resyncInterval);
    assertThat(config.workers()).isEqualTo(command.workers);
    assertThat(config.stateStore()).isEqualTo(AgentConfig.StateStore.FILE);
    assertThat(config.stateNamespace()).isEqualTo(AgentConfig.DEFAULT_STATE_NAMESPACE);
    assertThat(config.gitLimits()).isEqualTo(GitLimits.DEFAULTS);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.tls()).isFalse();
    assertThat(config.gitUsername()).isNull();
    assertThat(config.gitCredentialsFile()).isNull();
  }

  @Test
  void toBuilderKeepsEveryValueAndChangesOnlyWhatIsSet() {
    AgentConfig config =
        AgentConfig.builder("https://cp:9090", "east", "secret")
            .caFile(Path.of("ca.crt"))
            .stateDir(Path.of("/state"))
            .resyncInterval(Duration.ofMinutes(3))
            .workers(7)
            .backoff(Duration.ofMillis(10), Duration.ofSeconds(2))
            .gitUser("user", "pass")
            .stateStore(AgentConfig.StateStore.CONFIGMAP)
            .stateNamespace("ns")
            .gitCredentialsFile(Path.of("creds.json"))
            .gitLimits(new GitLimits(Duration.ofSeconds(5), 1L << 20, 9, Duration.ofMinutes(1)))
            .build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.toBuilder().workers(1).build())
        .usingRecursiveComparison()
        .ignoringFields("workers")
        .isEqualTo(config);
    assertThat(config.withGitLimits(GitLimits.DEFAULTS).caFile()).isEqualTo(Path.of("ca.crt"));
  }

  @Test
  void anEmptyNamespaceOrNoStoreFallsBackToTheDefaults() {
    AgentConfig config =
        AgentConfig.builder("cp:9090", "c1", "t").stateNamespace(" ").stateStore(null).build();

    assertThat(config.stateNamespace()).isEqualTo(AgentConfig.DEFAULT_STATE_NAMESPACE);
    assertThat(config.stateStore()).isEqualTo(AgentConfig.StateStore.FILE);
  }
}
