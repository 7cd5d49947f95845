package dev.flotilla.render.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.render.NeverAnsweringServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts from a Helm repository served on loopback, with basic authentication. */
class ChartFetcherTest {

  private static final String USER = "chart-reader";
  private static final String PASSWORD = "pa55-not-in-messages";

  @TempDir Path tmp;
  private ChartRepositoryServer repo;

  @BeforeEach
  void start() throws Exception {
    repo = new ChartRepositoryServer(USER, PASSWORD);
    for (String v : List.of("1.1.0", "1.2.0", "1.2.3", "1.3.0-rc.1", "2.0.0")) {
      repo.publish("web", v, TestCharts.configMapChart("web", v));
    }
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  private ChartFetcher fetcher(ChartCredentials credentials) {
    return new ChartFetcher(tmp.resolve("cache"), credentials, ChartLimits.DEFAULT);
  }

  private ChartCredentials good() {
    return ChartCredentials.of(
        List.of(new ChartCredentials.Entry(repo.url() + "/", USER, PASSWORD, null)));
  }

  private ChartSource source(String revision) {
    return ChartSource.of(repo.url(), "web", revision).orElseThrow();
  }

  @Test
  void fetchesTheNewestVersionMatchingAConstraintAndUnpacksIt() throws Exception {
    FetchedChart chart = fetcher(good()).fetch(source("1.2.*"));

    assertThat(chart.version()).isEqualTo("1.2.3");
    assertThat(Files.readString(chart.directory().resolve("Chart.yaml")))
        .contains("version: 1.2.3");
    assertThat(chart.directory().resolve("templates/configmap.yaml")).isRegularFile();
    assertThat(fetcher(good()).fetch(source(">=1.0.0 <2.0.0")).version()).isEqualTo("1.2.3");
    assertThat(fetcher(good()).fetch(source("^2")).version()).isEqualTo("2.0.0");
    assertThat(fetcher(good()).fetch(source("")).version()).isEqualTo("2.0.0");
  }

  @Test
  void anExactVersionAlreadyCachedNeedsNoRequest() throws Exception {
    ChartFetcher fetcher = fetcher(good());
    fetcher.fetch(source("1.2.0"));
    int before = repo.requests().size();

    FetchedChart again = fetcher.fetch(source("1.2.0"));

    assertThat(again.version()).isEqualTo("1.2.0");
    assertThat(repo.requests()).hasSize(before);
    // A constraint reads the index again (a new version may match) but not the package.
    fetcher.fetch(source("~1.2.0"));
    assertThat(repo.requests().subList(before, repo.requests().size()))
        .containsExactly("/repo/index.yaml", "/repo/charts/web-1.2.3.tgz");
  }

  @Test
  void aRefetchDownloadsAnExactVersionAgainAndReplacesADamagedCacheEntry() throws Exception {
    ChartFetcher fetcher = fetcher(good());
    FetchedChart first = fetcher.fetch(source("1.2.0"));
    Path chartYaml = first.directory().resolve("Chart.yaml");
    Files.writeString(chartYaml, "damaged");
    int before = repo.requests().size();

    assertThat(Files.readString(fetcher.fetch(source("1.2.0")).directory().resolve("Chart.yaml")))
        .as("the cache is used as it is without a refetch")
        .isEqualTo("damaged");
    FetchedChart again = fetcher.fetch(source("1.2.0"), true);

    assertThat(again.version()).isEqualTo("1.2.0");
    assertThat(Files.readString(again.directory().resolve("Chart.yaml")))
        .contains("version: 1.2.0");
    assertThat(repo.requests().subList(before, repo.requests().size()))
        .containsExactly("/repo/index.yaml", "/repo/charts/web-1.2.0.tgz");
    try (var entries = Files.list(tmp.resolve("cache"))) {
      Path entry = entries.findFirst().orElseThrow();
      try (var inside = Files.list(entry)) {
        assertThat(inside.map(p -> p.getFileName().toString()))
            .as("no stale copy or scratch space is left behind")
            .containsExactly("chart");
      }
    }
    assertThat(fetcher.fetch(source("1.2.0")).directory()).isEqualTo(again.directory());
  }

  @Test
  void withoutCredentialsTheErrorNamesTheRepositoryAndSaysSo() {
    assertThatThrownBy(() -> fetcher(ChartCredentials.none()).fetch(source("1.2.*")))
        .isInstanceOf(ChartFetchException.class)
        .hasMessage(
            "index.yaml of Helm repository "
                + repo.url()
                + ": HTTP 401 (no credentials for it in the agent's --helm-credentials file)");
  }

  @Test
  void refusedCredentialsAreNamedButNeverShown() {
    ChartCredentials wrong =
        ChartCredentials.of(
            List.of(new ChartCredentials.Entry(repo.url(), USER, "wrong-" + PASSWORD, null)));
    assertThatThrownBy(() -> fetcher(wrong).fetch(source("1.2.*")))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining(repo.url())
        .hasMessageContaining("HTTP 401 (the agent's credentials for it were refused)")
        .message()
        .doesNotContain(PASSWORD);
  }

  @Test
  void aMissingChartOrVersionIsNamed() {
    assertThatThrownBy(
            () -> fetcher(good()).fetch(ChartSource.of(repo.url(), "api", "1.0.0").orElseThrow()))
        .hasMessage("Helm repository " + repo.url() + " has no chart 'api' (it has: web)");
    assertThatThrownBy(() -> fetcher(good()).fetch(source("3.*")))
        .hasMessage(
            "Helm repository "
                + repo.url()
                + " has no version of chart web matching '3.*'"
                + " (newest: 2.0.0)");
  }

  @Test
  void aPackageWhoseDigestDiffersFromTheIndexIsRefused() {
    repo.override("/repo/charts/web-1.1.0.tgz", TestCharts.configMapChart("web", "6.6.6"));
    assertThatThrownBy(() -> fetcher(good()).fetch(source("1.1.0")))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("chart web of Helm repository " + repo.url() + " 1.1.0")
        .hasMessageContaining("as the repository states; refused");
    // Refused before anything was unpacked or cached.
    assertThat(tmp.resolve("cache")).doesNotExist();
  }

  @Test
  void aPackageOverTheSizeLimitIsRefusedWhileItDownloads() {
    ChartFetcher small =
        new ChartFetcher(
            tmp.resolve("cache"), good(), ChartLimits.DEFAULT.withMaxArchiveBytes(100));
    assertThatThrownBy(() -> small.fetch(source("1.2.3")))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("web 1.2.3 from Helm repository " + repo.url())
        .hasMessageContaining("larger than 100 bytes, the limit; refused");
  }

  @Test
  void aPackageEscapingItsDirectoryOrHoldingALinkIsRefused() throws Exception {
    repo.publish(
        "evil",
        "1.0.0",
        TestCharts.tgz(
            "",
            Map.of(
                "evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 1.0.0\n",
                "evil/../../escaped.txt", "x")));
    repo.publish("linked", "1.0.0", TestCharts.withSymlink("linked", "values.yaml", "/etc/passwd"));
    assertThatThrownBy(
            () -> fetcher(good()).fetch(ChartSource.of(repo.url(), "evil", "1.0.0").orElseThrow()))
        .hasMessageContaining("holds a path outside the chart: evil/../../escaped.txt");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThatThrownBy(
            () ->
                fetcher(good()).fetch(ChartSource.of(repo.url(), "linked", "1.0.0").orElseThrow()))
        .hasMessageContaining("holds a link (linked/values.yaml); charts with links are refused");
  }

  @Test
  void aRepositoryThatNeverAnswersTimesOut() throws Exception {
    try (NeverAnsweringServer hung = new NeverAnsweringServer()) {
      ChartFetcher fetcher =
          new ChartFetcher(
              tmp.resolve("cache"),
              ChartCredentials.none(),
              ChartLimits.DEFAULT.withTimeout(Duration.ofSeconds(1)));
      String url = hung.url("/charts");
      assertThatThrownBy(() -> fetcher.fetch(ChartSource.of(url, "web", "1.0.0").orElseThrow()))
          .isInstanceOf(ChartFetchException.class)
          .hasMessage(
              "index.yaml of Helm repository "
                  + url
                  + ": no complete answer within 1s (timed out)");
    }
  }

  @Test
  void credentialsFileInTheGitFormatWithPasswordFilesAndTokens() throws Exception {
    Path secret = tmp.resolve("password");
    Files.writeString(secret, PASSWORD + "\n", StandardCharsets.UTF_8);
    Path file = tmp.resolve("helm-credentials.yaml");
    Files.writeString(
        file,
        "credentials:\n"
            + "  - urlPrefix: "
            + repo.url()
            + "\n    username: "
            + USER
            + "\n    passwordFile: password\n"
            + "  - urlPrefix: oci://registry.example.com/\n    bearerToken: t0ken\n");
    ChartCredentials loaded = ChartCredentials.load(file);

    assertThat(fetcher(loaded).fetch(source("1.2.*")).version()).isEqualTo("1.2.3");
    assertThat(loaded.forUrl("oci://registry.example.com/charts/web"))
        .hasValueSatisfying(
            e ->
                assertThat(e.toString())
                    .isEqualTo(
                        "a bearer token for URLs starting with oci://registry.example.com/"));
    Files.writeString(
        file, "credentials:\n  - urlPrefix: https://x/\n    username: u\n    pasword: p\n");
    assertThatThrownBy(() -> ChartCredentials.load(file))
        .hasMessageContaining("entry 1: unknown field(s) [pasword]");
  }
}
