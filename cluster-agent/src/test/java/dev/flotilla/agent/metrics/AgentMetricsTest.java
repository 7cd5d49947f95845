package dev.flotilla.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's {@code /metrics} over real HTTP: Argo CD's names, labels and buckets, Flotilla's own
 * gauges, and the bounds that keep label cardinality in check.
 */
class AgentMetricsTest {

  private final AtomicBoolean connected = new AtomicBoolean();
  private final AgentMetrics metrics =
      new AgentMetrics(connected::get, () -> 7, "https://10.0.0.1:6443/");
  private MetricsEndpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    if (endpoint == null) {
      endpoint = MetricsEndpoint.start("127.0.0.1", 0, metrics);
    }
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    return r.body();
  }

  @Test
  void reconcilesAndSyncsUseArgoCdNamesLabelsAndBuckets() throws Exception {
    metrics.reconciled("", "", Duration.ofMillis(300));
    metrics.reconciled("", "https://kubernetes.default.svc", Duration.ofSeconds(20));
    metrics.synced("billing", "", "team-a", "", AgentMetrics.SUCCEEDED);
    metrics.synced("billing", "", "team-a", "", AgentMetrics.SUCCEEDED);
    metrics.synced("billing", "", "team-a", "", AgentMetrics.FAILED);
    connected.set(true);

    String body = scrape();

    // A destination given by name reports this cluster's server, without the trailing slash.
    assertThat(body)
        .contains(
            "argocd_app_reconcile_bucket{dest_server=\"https://10.0.0.1:6443\",namespace=\"\",le=\"0.25\"} 0\n",
            "argocd_app_reconcile_bucket{dest_server=\"https://10.0.0.1:6443\",namespace=\"\",le=\"0.5\"} 1\n",
            "argocd_app_reconcile_bucket{dest_server=\"https://10.0.0.1:6443\",namespace=\"\",le=\"16.0\"} 1\n",
            "argocd_app_reconcile_count{dest_server=\"https://10.0.0.1:6443\",namespace=\"\"} 1\n",
            "argocd_app_reconcile_bucket{dest_server=\"https://kubernetes.default.svc\",namespace=\"\",le=\"16.0\"} 0\n",
            "argocd_app_reconcile_bucket{dest_server=\"https://kubernetes.default.svc\",namespace=\"\",le=\"+Inf\"} 1\n",
            "argocd_app_sync_total{dest_server=\"https://10.0.0.1:6443\",name=\"billing\",namespace=\"\",phase=\"Succeeded\",project=\"team-a\"} 2.0\n",
            "argocd_app_sync_total{dest_server=\"https://10.0.0.1:6443\",name=\"billing\",namespace=\"\",phase=\"Failed\",project=\"team-a\"} 1.0\n",
            "flotilla_agent_connected 1.0\n",
            "flotilla_agent_applications 7.0\n",
            "jvm_memory_used_bytes");
    // Argo CD's histogram has no unit suffix: dashboards query argocd_app_reconcile_bucket.
    assertThat(body).doesNotContain("argocd_app_reconcile_seconds");
  }

  @Test
  void gitRequestsAreCountedPerNormalisedRepositoryWithoutCredentials() throws Exception {
    metrics.requestEnded(
        "https://bot:hunter2@Git.example.com/infra.git", "fetch", Duration.ofMillis(50), false);
    metrics.requestEnded("https://git.example.com/infra/", "fetch", Duration.ofSeconds(3), true);

    String body = scrape();

    assertThat(body)
        .contains(
            "argocd_git_request_total{repo=\"https://git.example.com/infra\",request_type=\"fetch\"} 2.0\n",
            "argocd_git_request_duration_seconds_bucket{repo=\"https://git.example.com/infra\",request_type=\"fetch\",le=\"0.1\"} 1\n",
            "argocd_git_request_duration_seconds_bucket{repo=\"https://git.example.com/infra\",request_type=\"fetch\",le=\"4.0\"} 2\n",
            "flotilla_git_request_failures_total{repo=\"https://git.example.com/infra\",request_type=\"fetch\"} 1.0\n")
        .doesNotContain("hunter2")
        .doesNotContain("bot@");
  }

  @Test
  void labelCardinalityIsBoundedApplicationsAndRepositoriesFoldIntoOther() throws Exception {
    int apps = AgentMetrics.MAX_APPLICATIONS + 500;
    for (int i = 0; i < apps; i++) {
      metrics.synced("app-" + i, "", "p", "", AgentMetrics.SUCCEEDED);
    }
    for (int i = 0; i < AgentMetrics.MAX_REPOS + 50; i++) {
      metrics.requestEnded("https://git.example.com/r" + i, "fetch", Duration.ZERO, false);
    }

    String body = scrape();

    long syncSeries = body.lines().filter(l -> l.startsWith("argocd_app_sync_total{")).count();
    assertThat(syncSeries).isEqualTo(AgentMetrics.MAX_APPLICATIONS + 1);
    assertThat(body)
        .contains(
            "argocd_app_sync_total{dest_server=\"https://10.0.0.1:6443\",name=\"other\",namespace=\"\",phase=\"Succeeded\",project=\"p\"} 500.0\n",
            "argocd_git_request_total{repo=\"other\",request_type=\"fetch\"} 50.0\n");
    long repoSeries = body.lines().filter(l -> l.startsWith("argocd_git_request_total{")).count();
    assertThat(repoSeries).isEqualTo(AgentMetrics.MAX_REPOS + 1);
    // Admitted names keep their series after the budget is spent.
    metrics.synced("app-0", "", "p", "", AgentMetrics.SUCCEEDED);
    assertThat(scrape())
        .contains("name=\"app-0\",namespace=\"\",phase=\"Succeeded\",project=\"p\"} 2.0\n");
  }

  @Test
  void onlyMetricsIsServedAndOnlyForGet() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/x").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aPortInUseIsNamedInTheError() throws Exception {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, metrics);
    int taken = endpoint.port();
    assertThatThrownBy(() -> MetricsEndpoint.start("127.0.0.1", taken, metrics))
        .hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + taken);
  }
}
