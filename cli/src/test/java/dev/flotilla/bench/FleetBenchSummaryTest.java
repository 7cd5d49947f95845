package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetBenchSummaryTest {

  @Test
  void aLineParsesBackIntoItsPairsInOrder() {
    String line =
        new FleetBenchSummary()
            .put("agents", 1000)
            .put("connect_s", 3.456)
            .put("commit_ack_p99_ms", 2345.6)
            .put("pg_statements_per_s", -1.0)
            .put("heap_max_mib", null)
            .put("result", "ok")
            .line();

    assertThat(line)
        .isEqualTo(
            "flotilla bench fleet: agents=1000 connect_s=3.5 commit_ack_p99_ms=2346"
                + " pg_statements_per_s=n/a heap_max_mib=n/a result=ok");
    assertThat(FleetBenchSummary.parse(line))
        .containsExactly(
            Map.entry("agents", "1000"),
            Map.entry("connect_s", "3.5"),
            Map.entry("commit_ack_p99_ms", "2346"),
            Map.entry("pg_statements_per_s", "n/a"),
            Map.entry("heap_max_mib", "n/a"),
            Map.entry("result", "ok"));
  }

  @Test
  void valuesWithSpacesStayOnePair() {
    String line = new FleetBenchSummary().put("note", "two words").line();
    assertThat(FleetBenchSummary.parse(line)).containsEntry("note", "two_words");
  }

  @Test
  void anythingElseIsRefusedNamingWhere() {
    assertThatThrownBy(() -> FleetBenchSummary.parse("[ 1.0 s] connecting"))
        .hasMessageContaining("not a bench summary line");
    assertThatThrownBy(() -> FleetBenchSummary.parse("flotilla bench fleet: agents=1 oops"))
        .hasMessageContaining("at:  oops");
  }

  @Test
  void percentilesByNearestRank() {
    List<Double> samples = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertThat(Percentiles.of(samples, 50)).isEqualTo(5.0);
    assertThat(Percentiles.of(samples, 99)).isEqualTo(10.0);
    assertThat(Percentiles.of(samples, 10)).isEqualTo(1.0);
    assertThat(Percentiles.of(List.of(), 50)).isNaN();
  }

  @Test
  void heapIsTheSumOfTheHeapPoolsOnly() {
    List<String> scrape =
        List.of(
            "# HELP jvm_memory_used_bytes The amount of used memory",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1048576.0",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2097152.0",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7",
            "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 5.36870912E8");
    assertThat(ControlPlaneHeap.heapBytes(scrape)).isEqualTo(3 * 1048576.0);
  }

  @Test
  void aServerDatabaseUrlBecomesJdbc() {
    assertThat(PostgresStats.fromServerUrl("postgresql://flo:p%40ss@db.example:5433/flotilla"))
        .containsExactly("jdbc:postgresql://db.example:5433/flotilla", "flo", "p@ss");
  }
}
