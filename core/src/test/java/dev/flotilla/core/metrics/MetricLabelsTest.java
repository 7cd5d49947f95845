package dev.flotilla.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricLabelsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://github.com/org/repo.git, https://github.com/org/repo",
    "https://user:s3cret@GitHub.com/org/repo/, https://github.com/org/repo",
    "https://github.com/org/repo?token=abc#x, https://github.com/org/repo",
    "http://git.local:3000/a/b.git, http://git.local:3000/a/b",
    "git@GitHub.com:org/repo.git, github.com:org/repo",
    "file:///tmp/repos/infra.git, file:///tmp/repos/infra",
  })
  void oneRepositoryIsOneLabelAndNeverCarriesCredentials(String url, String label) {
    assertThat(MetricLabels.repo(url)).isEqualTo(label).doesNotContain("s3cret", "token");
  }

  @Test
  void longValuesAreCut() {
    assertThat(MetricLabels.bounded("x".repeat(1000))).hasSize(MetricLabels.MAX_VALUE_LENGTH);
    assertThat(MetricLabels.bounded(null)).isEmpty();
  }

  @Test
  void aBudgetAdmitsItsLimitThenFoldsIntoOther() {
    SeriesBudget budget = new SeriesBudget(3);
    IntStream.range(0, 3).forEach(i -> assertThat(budget.admit("r" + i)).isEqualTo("r" + i));
    assertThat(budget.admit("r3")).isEqualTo(MetricLabels.OTHER);
    assertThat(budget.admit("r999")).isEqualTo(MetricLabels.OTHER);
    // Admitted values keep their series.
    assertThat(budget.admit("r1")).isEqualTo("r1");
    assertThat(budget.size()).isEqualTo(3);
    assertThatThrownBy(() -> new SeriesBudget(0)).hasMessageContaining("at least 1");
  }

  @Test
  void metricsPortsAreCheckedWithAClearMessage() {
    assertThat(MetricsPort.check(9102, 8080, 9090)).isEqualTo(9102);
    assertThat(MetricsPort.check(0, 0)).isZero();
    assertThatThrownBy(() -> MetricsPort.check(-1))
        .hasMessage(
            "--metrics-port must be a TCP port from 1 to 65535 (or 0 for any free port), not -1");
    assertThatThrownBy(() -> MetricsPort.check(70000)).hasMessageContaining("not 70000");
    assertThatThrownBy(() -> MetricsPort.check(8080, 8080, 9090))
        .hasMessageContaining("--metrics-port 8080 is already")
        .hasMessageContaining("a port of their own");
  }
}
