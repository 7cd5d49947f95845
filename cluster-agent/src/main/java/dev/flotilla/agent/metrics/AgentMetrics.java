package dev.flotilla.agent.metrics;

import dev.flotilla.core.metrics.MetricLabels;
import dev.flotilla.core.metrics.SeriesBudget;
import dev.flotilla.git.GitRequestObserver;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The agent's metrics: where the agent does what Argo CD's application controller does (reconcile,
 * sync, fetch Git), it reports it under Argo CD's names, labels and buckets, so Argo CD dashboards
 * and alerts work on a Flotilla fleet. Micrometer's Prometheus registry carries the JVM meters; the
 * Argo CD-named series are written with the Prometheus client underneath it, because Micrometer
 * would rename some of them (an {@code _info} gauge, a unit suffix on histograms).
 *
 * <p>Cardinality: no per-object labels; {@code argocd_app_sync_total} has one series per
 * Application and phase for at most {@link #MAX_APPLICATIONS} Applications (later ones share the
 * "other" name); {@code repo} is normalised and capped at {@link #MAX_REPOS}.
 */
public final class AgentMetrics implements GitRequestObserver {

  /** Argo CD's phases of a finished sync operation. */
  public static final String SUCCEEDED = "Succeeded";

  public static final String FAILED = "Failed";
  public static final String ERROR = "Error";

  public static final int MAX_APPLICATIONS = 5_000;
  public static final int MAX_REPOS = 200;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final SeriesBudget applications = new SeriesBudget(MAX_APPLICATIONS);
  private final SeriesBudget repos = new SeriesBudget(MAX_REPOS);
  private final Histogram reconcile;
  private final Counter syncs;
  private final Counter gitRequests;
  private final Counter gitFailures;
  private final Histogram gitDuration;
  private final String clusterServer;

  /**
   * @param connected whether the agent holds a stream with the control plane now
   * @param assigned how many Applications the agent holds
   * @param clusterServer this cluster's API server URL: the {@code dest_server} of Applications
   *     whose destination names the cluster rather than its server
   */
  public AgentMetrics(BooleanSupplier connected, IntSupplier assigned, String clusterServer) {
    this.clusterServer = clusterServer == null ? "" : clusterServer.replaceAll("/+$", "");
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    PrometheusRegistry p = registry.getPrometheusRegistry();
    reconcile =
        Histogram.builder()
            .name("argocd_app_reconcile")
            .help("Application reconciliation performance in seconds.")
            .labelNames("namespace", "dest_server")
            .classicOnly()
            .classicUpperBounds(0.25, 0.5, 1, 2, 4, 8, 16)
            .withoutExemplars()
            .register(p);
    syncs =
        Counter.builder()
            .name("argocd_app_sync_total")
            .help("Number of application syncs.")
            .labelNames("name", "namespace", "project", "phase", "dest_server")
            .withoutExemplars()
            .register(p);
    gitRequests =
        Counter.builder()
            .name("argocd_git_request_total")
            .help("Number of git requests performed by repo server")
            .labelNames("repo", "request_type")
            .withoutExemplars()
            .register(p);
    gitFailures =
        Counter.builder()
            .name("flotilla_git_request_failures_total")
            .help("Git requests that failed (timeouts, refusals, unreachable servers).")
            .labelNames("repo", "request_type")
            .withoutExemplars()
            .register(p);
    gitDuration =
        Histogram.builder()
            .name("argocd_git_request_duration_seconds")
            .help("Git requests duration seconds.")
            .labelNames("repo", "request_type")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 4, 10, 20)
            .withoutExemplars()
            .register(p);
    GaugeWithCallback.builder()
        .name("flotilla_agent_connected")
        .help("1 while the agent holds a stream with the control plane, else 0.")
        .callback(cb -> cb.call(connected.getAsBoolean() ? 1 : 0))
        .register(p);
    GaugeWithCallback.builder()
        .name("flotilla_agent_applications")
        .help("Applications assigned to this agent.")
        .callback(cb -> cb.call(assigned.getAsInt()))
        .register(p);
  }

  /** One reconcile of an Application ended (whether or not it synced). */
  public void reconciled(String namespace, String destServer, Duration took) {
    reconcile
        .labelValues(MetricLabels.bounded(namespace), server(destServer))
        .observe(took.toNanos() / 1e9);
  }

  /** A sync operation of {@code application} finished in {@code phase} ({@link #SUCCEEDED}…). */
  public void synced(
      String application, String namespace, String project, String destServer, String phase) {
    syncs
        .labelValues(
            applications.admit(MetricLabels.bounded(application)),
            MetricLabels.bounded(namespace),
            MetricLabels.bounded(project),
            phase,
            server(destServer))
        .inc();
  }

  @Override
  public void requestEnded(String url, String requestType, Duration took, boolean failed) {
    String repo = repos.admit(MetricLabels.repo(url));
    gitRequests.labelValues(repo, requestType).inc();
    gitDuration.labelValues(repo, requestType).observe(took.toNanos() / 1e9);
    if (failed) {
      gitFailures.labelValues(repo, requestType).inc();
    }
  }

  private String server(String destServer) {
    return MetricLabels.bounded(
        destServer == null || destServer.isBlank() ? clusterServer : destServer);
  }

  /** The text exposition format (Prometheus 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  public void close() {
    gc.close();
    registry.close();
  }
}
