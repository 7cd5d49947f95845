package dev.flotilla.controlplane.metrics;

import dev.flotilla.core.metrics.MetricLabels;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns the last {@link FleetSnapshot} into series at scrape time: no query, no lock, only the
 * snapshot already in memory. Written against the Prometheus client's snapshot model rather than
 * Micrometer gauges because Micrometer renames a gauge called {@code argocd_app_info} (it drops
 * {@code _info}), which would break every Argo CD dashboard.
 *
 * <p>Cardinality: one {@code argocd_app_info} series per Application (Argo CD's rule), no
 * per-object labels, label values cut to 200 characters, and at most {@code maxAppSeries}
 * Applications — those out of sync or unhealthy first, then by name — so a runaway generator cannot
 * flood Prometheus; {@code flotilla_app_info_omitted} says how many were left out and {@code
 * flotilla_applications} (sync × health, at most 18 series) always counts them all.
 */
public final class FleetCollector implements MultiCollector {

  /** Default cap on {@code argocd_app_info} series. */
  public static final int DEFAULT_MAX_APP_SERIES = 20_000;

  private static final Comparator<FleetSnapshot.App> TROUBLED_FIRST =
      Comparator.comparing((FleetSnapshot.App a) -> !a.troubled())
          .thenComparing(FleetSnapshot.App::name);

  private final Supplier<FleetSnapshot> snapshot;
  private final int maxAppSeries;

  public FleetCollector(Supplier<FleetSnapshot> snapshot, int maxAppSeries) {
    if (maxAppSeries < 1) {
      throw new IllegalArgumentException("maxAppSeries must be at least 1, not " + maxAppSeries);
    }
    this.snapshot = snapshot;
    this.maxAppSeries = maxAppSeries;
  }

  @Override
  public MetricSnapshots collect() {
    FleetSnapshot s = snapshot.get();
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    applications(s, out);
    clusters(s, out);
    applicationSets(s, out);
    out.metricSnapshot(
        gauge("flotilla_drift_objects_open", "Drifted objects self-heal has not reverted.")
            .dataPoint(point(s.driftOpen()))
            .build());
    out.metricSnapshot(
        CounterSnapshot.builder()
            .name("flotilla_drift_heals")
            .help("Drift events that self-heal reverted.")
            .dataPoint(
                CounterSnapshot.CounterDataPointSnapshot.builder().value(s.driftHeals()).build())
            .build());
    out.metricSnapshot(
        gauge(
                "flotilla_dispatch_pending_assignments",
                "Applications on connected clusters whose agent has not acknowledged the current"
                    + " generation.")
            .dataPoint(point(s.pendingAssignments()))
            .build());
    out.metricSnapshot(
        gauge(
                "flotilla_dispatch_lag_seconds",
                "How long the oldest unacknowledged assignment on a connected cluster has waited.")
            .dataPoint(point(s.oldestPendingSeconds()))
            .build());
    return out.build();
  }

  private void applications(FleetSnapshot s, MetricSnapshots.Builder out) {
    List<FleetSnapshot.App> apps = new ArrayList<>(s.applications());
    apps.sort(TROUBLED_FIRST);
    InfoSnapshot.Builder info =
        InfoSnapshot.builder().name("argocd_app").help("Information about application.");
    Map<Labels, Integer> totals = new TreeMap<>();
    for (int i = 0; i < apps.size(); i++) {
      FleetSnapshot.App a = apps.get(i);
      totals.merge(
          Labels.of("health_status", a.healthStatus(), "sync_status", a.syncStatus()),
          1,
          Integer::sum);
      if (i < maxAppSeries) {
        info.dataPoint(
            InfoSnapshot.InfoDataPointSnapshot.builder()
                .labels(
                    Labels.of(
                        "autosync_enabled", Boolean.toString(a.autoSync()),
                        "dest_namespace", MetricLabels.bounded(a.destNamespace()),
                        "dest_server", MetricLabels.bounded(a.destServer()),
                        "health_status", a.healthStatus(),
                        "name", MetricLabels.bounded(a.name()),
                        "namespace", MetricLabels.bounded(a.namespace()),
                        "operation", a.operation(),
                        "project", MetricLabels.bounded(a.project()),
                        "repo", MetricLabels.repo(a.repo()),
                        "sync_status", a.syncStatus()))
                .build());
      }
    }
    out.metricSnapshot(info.build());
    GaugeSnapshot.Builder byState =
        gauge("flotilla_applications", "Applications by sync and health status (never capped).");
    totals.forEach(
        (labels, n) ->
            byState.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(n).build()));
    out.metricSnapshot(byState.build());
    out.metricSnapshot(
        gauge(
                "flotilla_app_info_omitted",
                "Applications left out of argocd_app_info by its series cap.")
            .dataPoint(point(Math.max(0, apps.size() - maxAppSeries)))
            .build());
  }

  private static void clusters(FleetSnapshot s, MetricSnapshots.Builder out) {
    InfoSnapshot.Builder info =
        InfoSnapshot.builder().name("argocd_cluster").help("Information about cluster.");
    GaugeSnapshot.Builder connection =
        gauge("argocd_cluster_connection_status", "The k8s cluster current connection status.");
    long connected = 0;
    for (FleetSnapshot.Cluster c : s.clusters()) {
      // Flotilla does not learn the API server's version; the agent's stands in for it.
      Labels labels =
          Labels.of(
              "k8s_version", MetricLabels.bounded(c.agentVersion()),
              "name", MetricLabels.bounded(c.name()),
              "server", MetricLabels.bounded(c.server()));
      info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels).build());
      connection.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(labels)
              .value(c.connected() ? 1 : 0)
              .build());
      connected += c.connected() ? 1 : 0;
    }
    out.metricSnapshot(info.build());
    out.metricSnapshot(connection.build());
    out.metricSnapshot(
        gauge("flotilla_clusters", "Registered clusters.")
            .dataPoint(point(s.clusters().size()))
            .build());
    out.metricSnapshot(
        gauge(
                "flotilla_clusters_agent_connected",
                "Registered clusters whose agent was connected at the last refresh.")
            .dataPoint(point(connected))
            .build());
  }

  private static void applicationSets(FleetSnapshot s, MetricSnapshots.Builder out) {
    InfoSnapshot.Builder info =
        InfoSnapshot.builder().name("argocd_appset").help("Information about applicationset.");
    for (FleetSnapshot.AppSet a : s.applicationSets()) {
      info.dataPoint(
          InfoSnapshot.InfoDataPointSnapshot.builder()
              .labels(
                  Labels.of(
                      "name", MetricLabels.bounded(a.name()),
                      "namespace", MetricLabels.bounded(a.namespace()),
                      "resource_update_status", a.resourceUpdateStatus()))
              .build());
    }
    out.metricSnapshot(info.build());
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeSnapshot.GaugeDataPointSnapshot point(double value) {
    return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build();
  }
}
