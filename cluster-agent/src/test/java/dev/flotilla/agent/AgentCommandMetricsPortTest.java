package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A useless {@code --metrics-port} stops the agent before it connects anywhere, naming why. */
class AgentCommandMetricsPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-1    | --metrics-port must be a TCP port from 1 to 65535 (or 0 for any free port), not -1",
        "65536 | --metrics-port must be a TCP port from 1 to 65535 (or 0 for any free port), not 65536",
        "abc   | Invalid value for option '--metrics-port': 'abc' is not an int",
      })
  void aWrongPortIsRefused(String port, String message) {
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
                  "--metrics-port",
                  port);
    } finally {
      System.setErr(stderr);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains(message);
  }
}
