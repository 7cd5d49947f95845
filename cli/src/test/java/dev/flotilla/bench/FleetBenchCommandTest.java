package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flags are checked before anything starts, each refusal naming the flag. */
class FleetBenchCommandTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--agents 0 --applications 10 | --agents must be at least 1",
        "--agents 2 --applications 0 | --applications must be at least 1",
        "--agents 2 --applications 4 --replicas 0 | --replicas must be at least 1",
        "--agents 2 --applications 4 --drift-rate -1 | --drift-rate must not be negative",
        "--agents 2 --applications 4 --token t | --token is for an existing control plane",
        "--agents 2 --applications 4 --control-plane http://cp:8080 --token t --replicas 3"
            + " | --replicas starts our own control planes",
      })
  void badFlagsAreRefusedNamingTheFlag(String args, String message) {
    CliRunner.Run run = CliRunner.run(("bench fleet " + args).split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void helpSaysWhatItMeasures() {
    CliRunner.Run run = CliRunner.run("bench", "fleet", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--agents=N", "--applications=M", "--control-plane=URL", "--replicas=R")
        .contains("--status-interval", "--drift-rate", "commit -> acknowledged by every agent");
  }
}
