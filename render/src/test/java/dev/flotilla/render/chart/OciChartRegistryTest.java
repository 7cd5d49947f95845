package dev.flotilla.render.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charts from a real OCI registry (Debian's docker-registry on loopback, behind basic
 * authentication), in the shapes Argo CD accepts; skipped when the registry is not installed.
 */
class OciChartRegistryTest {

  private static final String USER = "puller";
  private static final String PASSWORD = "oci-pa55-never-shown";

  @TempDir Path tmp;
  private OciTestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new OciTestRegistry(tmp, USER, PASSWORD);
    for (String v : List.of("0.9.0", "1.0.0", "1.1.0", "1.1.1+build.7", "2.0.0")) {
      registry.pushChart("charts", "web", v, TestCharts.configMapChart("web", v));
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private ChartFetcher fetcher(ChartCredentials credentials) {
    return new ChartFetcher(tmp.resolve("cache"), credentials, ChartLimits.DEFAULT);
  }

  private ChartCredentials good() {
    return ChartCredentials.of(
        List.of(
            new ChartCredentials.Entry(
                "oci://" + registry.host() + "/charts/", USER, PASSWORD, null)));
  }

  @Test
  void fetchesAnExactVersionInEveryShapeArgoCdAccepts() throws Exception {
    String host = registry.host();
    for (ChartSource source :
        List.of(
            ChartSource.of("oci://" + host + "/charts/web", "", "1.0.0").orElseThrow(),
            ChartSource.of("oci://" + host + "/charts", "web", "1.0.0").orElseThrow(),
            ChartSource.of(host + "/charts", "web", "1.0.0").orElseThrow())) {
      FetchedChart chart = fetcher(good()).fetch(source);
      assertThat(chart.version()).as(source.repoUrl()).isEqualTo("1.0.0");
      assertThat(Files.readString(chart.directory().resolve("Chart.yaml")))
          .contains("version: 1.0.0");
    }
  }

  @Test
  void resolvesAConstraintFromTheTagsWithHelmsPlusConvention() throws Exception {
    ChartSource source =
        ChartSource.of("oci://" + registry.host() + "/charts/web", "", "~1.1").orElseThrow();

    FetchedChart chart = fetcher(good()).fetch(source);

    assertThat(chart.version()).isEqualTo("1.1.1+build.7");
    assertThat(Files.readString(chart.directory().resolve("Chart.yaml")))
        .contains("version: 1.1.1+build.7");
  }

  @Test
  void withoutCredentialsTheErrorNamesTheChartAndSaysSo() {
    ChartSource source =
        ChartSource.of("oci://" + registry.host() + "/charts/web", "", "1.0.0").orElseThrow();
    assertThatThrownBy(() -> fetcher(ChartCredentials.none()).fetch(source))
        .isInstanceOf(ChartFetchException.class)
        .hasMessage(
            "manifest 1.0.0 of chart oci://"
                + registry.host()
                + "/charts/web: the registry asks for credentials and the agent's"
                + " --helm-credentials file has none for oci://"
                + registry.host()
                + "/charts/web");
  }

  @Test
  void refusedCredentialsAreNamedButNeverShownAndAMissingChartIsNamed() {
    ChartCredentials wrong =
        ChartCredentials.of(
            List.of(
                new ChartCredentials.Entry(
                    "oci://" + registry.host() + "/", USER, "x" + PASSWORD, null)));
    ChartSource web =
        ChartSource.of("oci://" + registry.host() + "/charts/web", "", "1.0.0").orElseThrow();
    assertThatThrownBy(() -> fetcher(wrong).fetch(web))
        .hasMessageContaining("HTTP 401 (the agent's credentials for it were refused)")
        .message()
        .doesNotContain(PASSWORD);
    ChartSource api =
        ChartSource.of("oci://" + registry.host() + "/charts/api", "", "1.0.0").orElseThrow();
    assertThatThrownBy(() -> fetcher(good()).fetch(api))
        .hasMessageContaining("chart oci://" + registry.host() + "/charts/api")
        .hasMessageContaining("HTTP 404 (not found)");
    assertThatThrownBy(
            () ->
                fetcher(good())
                    .fetch(
                        ChartSource.of("oci://" + registry.host() + "/charts/web", "", "3.*")
                            .orElseThrow()))
        .hasMessage(
            "chart oci://"
                + registry.host()
                + "/charts/web has no version matching '3.*' (newest: 2.0.0)");
  }
}
