package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's {@code Metrics:} lines lead to live pages: the control plane's and each agent's {@code
 * /metrics}, scraped over HTTP once the demo's Applications synced on the simulated clusters, carry
 * Argo CD's series with the values the sync produced.
 */
class DemoMetricsE2E {

  @TempDir Path home;

  @Test
  void theControlPlaneAndEveryAgentServeArgoCdMetricsOfTheSync() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (Demo demo =
        Demo.start(
            new Demo.Options(home.resolve("demo"), "127.0.0.1", 0, 0, Duration.ofMillis(500)),
            out)) {
      assertThat(demo.awaitAllSynced(Duration.ofSeconds(90))).isNull();

      Map<String, String> urls = demo.metricsUrls();
      assertThat(urls)
          .containsOnlyKeys("control plane", "agent dev", "agent staging", "agent prod");
      String printed = output.toString(StandardCharsets.UTF_8);
      urls.values().forEach(url -> assertThat(printed).contains("Metrics: " + url));

      String frontendDev =
          "name=\"frontend-dev\",namespace=\"\",operation=\"\",project=\"default\"";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(scrape(urls.get("control plane")))
                      .containsPattern(
                          Pattern.compile(
                              "argocd_app_info\\{autosync_enabled=\"true\",[^}]*health_status=\"Healthy\","
                                  + Pattern.quote(frontendDev)
                                  + ",repo=\"file://[^\"]+\",sync_status=\"Synced\"\\} 1\n"))
                      .contains(
                          "flotilla_agents_connected 3.0\n",
                          "flotilla_applications{health_status=\"Healthy\",sync_status=\"Synced\"}"
                              + " 9.0\n")
                      .containsPattern(
                          "argocd_cluster_connection_status\\{[^}]*name=\"prod\"[^}]*\\} 1.0")
                      .containsPattern("argocd_appset_info\\{name=\"demo\",[^}]*\\} 1"));

      String agent = scrape(urls.get("agent dev"));
      assertThat(agent)
          .containsPattern(
              "argocd_app_sync_total\\{dest_server=\"[^\"]+\",name=\"frontend-dev\",namespace=\"\","
                  + "phase=\"Succeeded\",project=\"default\"\\} [1-9]")
          .containsPattern("argocd_app_reconcile_count\\{[^}]*\\} [1-9]")
          .containsPattern(
              "argocd_git_request_total\\{repo=\"file://[^\"]+\",request_type=\"fetch\"\\} [1-9]")
          .contains("flotilla_agent_connected 1.0\n", "flotilla_agent_applications 3.0\n")
          // Only this cluster's Applications are counted by its agent.
          .doesNotContain("name=\"frontend-prod\"");
    }
  }

  private static String scrape(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
