package dev.flotilla.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The state-derived series as Prometheus reads them, and the cap that bounds them. */
class FleetCollectorTest {

  private static FleetSnapshot.App app(String name, String sync, String health) {
    return new FleetSnapshot.App(
        name,
        "",
        "team-a",
        "https://prod.example:6443",
        name,
        "https://bot:secret@git.example.com/infra.git",
        sync,
        health,
        true,
        "");
  }

  private static String scrape(FleetSnapshot snapshot, int cap) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.getPrometheusRegistry().register(new FleetCollector(() -> snapshot, cap));
    return registry.scrape();
  }

  @Test
  void applicationsClustersAndSetsCarryArgoCdLabels() {
    FleetSnapshot s =
        new FleetSnapshot(
            List.of(app("billing", "Synced", "Healthy")),
            List.of(
                new FleetSnapshot.Cluster("prod", "https://prod.example:6443", "0.1.0", true),
                new FleetSnapshot.Cluster("dev", "https://dev.example:6443", "", false)),
            List.of(new FleetSnapshot.AppSet("platform", "", "True")),
            3,
            11,
            2,
            4.5);

    String body = scrape(s, 10);

    assertThat(body)
        .contains(
            "argocd_app_info{autosync_enabled=\"true\",dest_namespace=\"billing\","
                + "dest_server=\"https://prod.example:6443\",health_status=\"Healthy\","
                + "name=\"billing\",namespace=\"\",operation=\"\",project=\"team-a\","
                + "repo=\"https://git.example.com/infra\",sync_status=\"Synced\"} 1\n",
            "argocd_cluster_info{k8s_version=\"0.1.0\",name=\"prod\",server=\"https://prod.example:6443\"} 1\n",
            "argocd_cluster_connection_status{k8s_version=\"0.1.0\",name=\"prod\",server=\"https://prod.example:6443\"} 1.0\n",
            "argocd_cluster_connection_status{k8s_version=\"\",name=\"dev\",server=\"https://dev.example:6443\"} 0.0\n",
            "argocd_appset_info{name=\"platform\",namespace=\"\",resource_update_status=\"True\"} 1\n",
            "flotilla_applications{health_status=\"Healthy\",sync_status=\"Synced\"} 1.0\n",
            "flotilla_drift_objects_open 3.0\n",
            "flotilla_drift_heals_total 11.0\n",
            "flotilla_dispatch_pending_assignments 2.0\n",
            "flotilla_dispatch_lag_seconds 4.5\n",
            "flotilla_clusters 2.0\n",
            "flotilla_clusters_agent_connected 1.0\n",
            "flotilla_app_info_omitted 0.0\n")
        .doesNotContain("secret");
  }

  @Test
  void theCapKeepsTroubledApplicationsAndCountsTheRest() {
    List<FleetSnapshot.App> apps = new ArrayList<>();
    IntStream.range(0, 1000)
        .forEach(i -> apps.add(app("ok-%04d".formatted(i), "Synced", "Healthy")));
    apps.add(app("zz-degraded", "Synced", "Degraded"));
    apps.add(app("zz-drifted", "OutOfSync", "Healthy"));
    FleetSnapshot s = new FleetSnapshot(apps, List.of(), List.of(), 0, 0, 0, 0);

    String body = scrape(s, 100);

    assertThat(body.lines().filter(l -> l.startsWith("argocd_app_info{"))).hasSize(100);
    // Troubled Applications are never the ones cut: alerts on them keep working.
    assertThat(body)
        .contains("name=\"zz-degraded\"", "name=\"zz-drifted\"", "name=\"ok-0000\"")
        .doesNotContain("name=\"ok-0999\"")
        .contains("flotilla_app_info_omitted 902.0\n")
        // The never-capped totals still count every Application.
        .contains(
            "flotilla_applications{health_status=\"Healthy\",sync_status=\"Synced\"} 1000.0\n")
        .contains("flotilla_applications{health_status=\"Degraded\",sync_status=\"Synced\"} 1.0\n");
    assertThatThrownBy(() -> new FleetCollector(() -> s, 0)).hasMessageContaining("at least 1");
  }

  @Test
  void longLabelValuesAreCut() {
    FleetSnapshot s =
        new FleetSnapshot(
            List.of(app("a".repeat(300), "Synced", "Healthy")), List.of(), List.of(), 0, 0, 0, 0);
    assertThat(scrape(s, 10))
        .contains("name=\"" + "a".repeat(200) + "\"")
        .doesNotContain("a".repeat(201));
  }

  @Test
  void anApplicationSetIsUpToDateByItsResourcesUpToDateCondition() {
    JsonObject status =
        new JsonObject()
            .put(
                "conditions",
                new JsonArray()
                    .add(new JsonObject().put("type", "ErrorOccurred").put("status", "True"))
                    .add(new JsonObject().put("type", "ResourcesUpToDate").put("status", "False")));
    assertThat(MetricsRepository.upToDate(status)).isEqualTo("False");
    assertThat(MetricsRepository.upToDate(new JsonObject())).isEqualTo("Unknown");
  }
}
