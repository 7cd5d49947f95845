package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.render.RenderLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --render-timeout} reaches the renderers, and a useless value stops the agent at start. */
class AgentCommandRenderTimeoutTest {

  static final String[] REQUIRED = {"--control-plane", "127.0.0.1:1", "--cluster", "c"};

  static AgentCommand parse(String... extra) {
    AgentCommand command = new AgentCommand();
    String[] args = new String[REQUIRED.length + extra.length];
    System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
    System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
    AgentCommand.commandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsToNinetySeconds() {
    assertThat(parse().reconcilerOptions().limits().renderTimeout())
        .isEqualTo(RenderLimits.DEFAULT_RENDER_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theFlagSetsTheRenderDeadline() {
    assertThat(parse("--render-timeout", "PT5M").reconcilerOptions().limits().renderTimeout())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aZeroTimeoutIsRefusedBeforeTheAgentStarts() {
    // The command reports start-up errors on System.err, as its other checks do.
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          AgentCommand.commandLine(new AgentCommand())
              .execute(
                  "--control-plane",
                  "127.0.0.1:1",
                  "--cluster",
                  "c",
                  "--token",
                  "t",
                  "--render-timeout",
                  "PT0S");
    } finally {
      System.setErr(stderr);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("--render-timeout must be positive, not 0s");
  }
}
