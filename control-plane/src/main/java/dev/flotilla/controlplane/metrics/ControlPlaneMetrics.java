package dev.flotilla.controlplane.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
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
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The control plane's metrics, one registry for {@code /metrics}: Micrometer's JVM and Vert.x
 * meters (heap, GC, threads, HTTP server, Postgres pool) and Flotilla's own, Argo CD-named where
 * Argo CD has the same thing. Built before Vert.x so that Vert.x reports into it.
 */
public final class ControlPlaneMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final GitRequestMetrics git;
  private final Histogram generation;
  private final Counter resyncs;
  private JvmGcMetrics gc;

  public ControlPlaneMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    PrometheusRegistry prometheus = registry.getPrometheusRegistry();
    git = new GitRequestMetrics(prometheus);
    generation =
        Histogram.builder()
            .name("flotilla_appset_generation_duration_seconds")
            .help("How long one ApplicationSet generation took, by outcome.")
            .labelNames("outcome")
            .classicOnly()
            .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32)
            .withoutExemplars()
            .register(prometheus);
    resyncs =
        Counter.builder()
            .name("flotilla_agent_session_resyncs_total")
            .help("Assignment resyncs sent to connected agents (after a change of their clusters).")
            .withoutExemplars()
            .register(prometheus);
  }

  /**
   * A Vert.x whose HTTP servers, clients and Postgres pool report into this registry. Vert.x's
   * default labels (method, code, route, pool name) are bounded; request paths are not labels.
   */
  public Vertx newVertx() {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** The Micrometer registry (Vert.x's metrics factory reports into it). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Clone and fetch metrics, for the Git layer. */
  public GitRequestMetrics git() {
    return git;
  }

  /**
   * The state-derived series ({@code argocd_app_info}, clusters, ApplicationSets, drift, dispatch)
   * from {@code fleet}, and the agents this process holds a stream with from {@code connected}.
   */
  public void watch(Supplier<FleetSnapshot> fleet, int maxAppSeries, IntSupplier connected) {
    PrometheusRegistry prometheus = registry.getPrometheusRegistry();
    prometheus.register(new FleetCollector(fleet, maxAppSeries));
    GaugeWithCallback.builder()
        .name("flotilla_agents_connected")
        .help("Agents holding a stream with this control-plane process.")
        .callback(cb -> cb.call(connected.getAsInt()))
        .register(prometheus);
  }

  /**
   * Lease ownership: {@code flotilla_lease_owned{lease}} is 1 on the replica that runs that
   * singleton (one series per singleton, a fixed set) and {@code flotilla_work_leases_held} counts
   * the per-ApplicationSet generation leases held now (a count, not one series per set).
   */
  public void watchLeases(
      Supplier<Set<String>> singletons, Predicate<String> owned, IntSupplier workLeases) {
    PrometheusRegistry prometheus = registry.getPrometheusRegistry();
    GaugeWithCallback.builder()
        .name("flotilla_lease_owned")
        .help("1 when this replica holds the lease (runs that singleton work), else 0.")
        .labelNames("lease")
        .callback(cb -> singletons.get().forEach(name -> cb.call(owned.test(name) ? 1 : 0, name)))
        .register(prometheus);
    GaugeWithCallback.builder()
        .name("flotilla_work_leases_held")
        .help("Per-ApplicationSet generation leases this replica holds now.")
        .callback(cb -> cb.call(workLeases.getAsInt()))
        .register(prometheus);
  }

  /** One ApplicationSet generation ended (outcome: succeeded or failed). */
  public void generationFinished(Duration took, boolean failed) {
    generation.labelValues(failed ? "failed" : "succeeded").observe(took.toNanos() / 1e9);
  }

  /** An agent was sent its assignments again. */
  public void sessionResynced() {
    resyncs.inc();
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
