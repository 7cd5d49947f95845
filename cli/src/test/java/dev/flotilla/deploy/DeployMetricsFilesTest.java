package dev.flotilla.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.controlplane.metrics.ControlPlaneMetrics;
import dev.flotilla.controlplane.metrics.FleetCollector;
import dev.flotilla.controlplane.metrics.FleetSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/ parse, and every metric their
 * queries name is one the control plane or the agent really exports (read from their registries,
 * not from a list kept by hand), so a renamed metric fails the build instead of a dashboard.
 */
class DeployMetricsFilesTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern METRIC = Pattern.compile("\\b((?:argocd|flotilla|jvm)_[a-z0-9_]+)");
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

  private static ControlPlaneMetrics server;
  private static AgentMetrics agent;
  private static Set<String> exported;

  @BeforeAll
  static void exportedNames() {
    server = new ControlPlaneMetrics();
    // One of each: a collector leaves out a metric that has no series at all.
    FleetSnapshot fleet =
        new FleetSnapshot(
            List.of(
                new FleetSnapshot.App(
                    "a",
                    "",
                    "p",
                    "https://c",
                    "ns",
                    "https://git/r",
                    "Synced",
                    "Healthy",
                    true,
                    "")),
            List.of(new FleetSnapshot.Cluster("c", "https://c", "0.1.0", true)),
            List.of(new FleetSnapshot.AppSet("s", "", "True")),
            0,
            0,
            0,
            0);
    server.watch(() -> fleet, FleetCollector.DEFAULT_MAX_APP_SERIES, () -> 0);
    agent = new AgentMetrics(() -> true, () -> 0, "https://cluster.example");
    // Labelled series appear once something happened: one of each.
    agent.synced("a", "", "p", "", AgentMetrics.SUCCEEDED);
    agent.reconciled("", "", java.time.Duration.ofMillis(1));
    agent.requestEnded("https://git/r", "fetch", java.time.Duration.ofMillis(1), true);
    server.git().requestEnded("https://git/r", "fetch", java.time.Duration.ofMillis(1), true);
    server.generationFinished(java.time.Duration.ofMillis(1), false);
    server.sessionResynced();
    exported = new TreeSet<>();
    for (String page : List.of(server.scrape(), agent.scrape())) {
      Matcher m = TYPE.matcher(page);
      while (m.find()) {
        String name = m.group(1);
        String type = m.group(2);
        exported.add(name);
        switch (type) {
          case "histogram" ->
              exported.addAll(List.of(name + "_bucket", name + "_count", name + "_sum"));
          case "counter" -> exported.add(name.endsWith("_total") ? name : name + "_total");
          default -> {}
        }
      }
    }
  }

  @AfterAll
  static void close() {
    server.close();
    agent.close();
  }

  @Test
  void theDashboardParsesAndQueriesOnlyExportedMetrics() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(ROOT.resolve("deploy/grafana/flotilla-dashboard.json").toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("flotilla-fleet");
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("title").asText()).as("every panel has a title").isNotBlank();
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertThat(String.join("\n", exprs))
        .as("the panels the issue asks for")
        .contains(
            "argocd_app_info",
            "argocd_app_sync_total",
            "argocd_app_reconcile_bucket",
            "flotilla_agents_connected",
            "flotilla_drift_objects_open");
    assertOnlyExported(exprs);
  }

  @Test
  void theAlertRulesParseAndQueryOnlyExportedMetrics() throws Exception {
    JsonNode rule =
        new ObjectMapper(new YAMLFactory())
            .readTree(ROOT.resolve("deploy/prometheus/flotilla-alerts.yaml").toFile());
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    List<String> alerts = new ArrayList<>();
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        alerts.add(r.path("alert").asText());
        exprs.add(r.path("expr").asText());
        assertThat(r.path("labels").path("severity").asText()).isIn("warning", "critical");
        assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
      }
    }
    assertThat(alerts)
        .contains(
            "FlotillaApplicationOutOfSync",
            "FlotillaApplicationDegraded",
            "FlotillaApplicationSyncFailed",
            "FlotillaAgentDisconnected",
            "FlotillaDriftNotHealed");
    assertOnlyExported(exprs);
  }

  @Test
  void theFilesAreWhereTheReadmeSays() {
    assertThat(Files.exists(ROOT.resolve("deploy/grafana/flotilla-dashboard.json"))).isTrue();
    assertThat(Files.exists(ROOT.resolve("deploy/prometheus/flotilla-alerts.yaml"))).isTrue();
  }

  private static void assertOnlyExported(List<String> exprs) {
    assertThat(exprs).isNotEmpty();
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      assertThat(m.find()).as("expr names a metric: %s", expr).isTrue();
      m.reset();
      while (m.find()) {
        assertThat(exported).as("metric in: %s", expr).contains(m.group(1));
      }
    }
  }
}
