package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A useless {@code --metrics-port} stops the server before Postgres or any listener starts. */
class ServerCommandMetricsPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-5    | --metrics-port must be a TCP port from 1 to 65535 (or 0 for any free port), not -5",
        "99999 | --metrics-port must be a TCP port from 1 to 65535 (or 0 for any free port), not 99999",
        "8080  | --metrics-port 8080 is already this process's API port",
        "9090  | --metrics-port 9090 is already this process's API port",
      })
  void aWrongPortIsRefusedNamingTheFlag(String port, String message) {
    ServerRunner.Run run = ServerRunner.run("server", "--metrics-port", port);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(message);
    assertThat(run.out()).doesNotContain("starting");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"abc", "80.5"})
  void aValueThatIsNotANumberIsRefusedByTheParser(String port) {
    ServerRunner.Run run = ServerRunner.run("server", "--metrics-port", port);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--metrics-port'", port);
  }
}
