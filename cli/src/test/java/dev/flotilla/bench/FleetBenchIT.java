package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.CliRunner;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench end to end at a small size: our own PostgreSQL and server process, 5 agents, 20
 * Applications. Asserts that every phase completes and what the summary says, never how fast.
 */
class FleetBenchIT {

  @TempDir Path work;

  @Test
  void fiveAgentsTwentyApplicationsCompleteAndTheSummaryParses() {
    CliRunner.Run run =
        CliRunner.run(
            "bench",
            "fleet",
            "--agents",
            "5",
            "--applications",
            "20",
            "--steady",
            "2s",
            "--drift-rate",
            "5",
            "--status-interval",
            "1s",
            "--timeout",
            "120s",
            "--work-dir",
            work.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().strip().split("\n");
    assertThat(lines).as("one summary line on stdout").hasSize(1);
    Map<String, String> summary = FleetBenchSummary.parse(lines[0]);
    assertThat(summary)
        .containsEntry("agents", "5")
        .containsEntry("applications", "20")
        .containsEntry("replicas", "1")
        .containsEntry("commit_acked", "5/5")
        .containsEntry("result", "ok");
    for (String measured :
        new String[] {
          "connect_s",
          "synced_s",
          "commit_ack_p50_ms",
          "commit_ack_p99_ms",
          "heap_max_mib",
          "pg_statements_per_s",
          "pg_tx_per_s",
          "load1"
        }) {
      assertThat(Double.parseDouble(summary.get(measured))).as(measured).isPositive();
    }
    assertThat(Long.parseLong(summary.get("drift_events"))).isPositive();
    assertThat(run.err()).contains("all 5 agents acknowledged the commit");
  }
}
