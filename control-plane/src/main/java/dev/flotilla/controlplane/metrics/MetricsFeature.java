package dev.flotilla.controlplane.metrics;

import dev.flotilla.controlplane.application.ApplicationEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.IntSupplier;

/**
 * The metrics feature as the control plane wires it: the fleet snapshot kept fresh from Postgres
 * (on a timer and after Application changes), the collectors reading it, and the {@code /metrics}
 * server when a port is given.
 */
public final class MetricsFeature implements AutoCloseable {

  private final ControlPlaneMetrics metrics;
  private final FleetStateRefresher refresher;
  private final MetricsServer server;
  private final ApplicationEvents events;
  private AutoCloseable subscription;

  public MetricsFeature(
      ControlPlaneMetrics metrics,
      Vertx vertx,
      MetricsRepository repository,
      ApplicationEvents events,
      IntSupplier connectedAgents) {
    this.metrics = metrics;
    this.events = events;
    this.refresher =
        new FleetStateRefresher(
            vertx,
            repository,
            FleetStateRefresher.DEFAULT_INTERVAL,
            FleetStateRefresher.DEFAULT_SETTLE);
    this.server = new MetricsServer(vertx, metrics);
    metrics.watch(refresher::current, FleetCollector.DEFAULT_MAX_APP_SERIES, connectedAgents);
  }

  public void start() {
    subscription = events.subscribe(application -> refresher.changed());
    refresher.start();
  }

  /** Serves {@code /metrics} on {@code host:port} (0: a free port); completes with the port. */
  public Future<Integer> serve(String host, int port) {
    return server.listen(host, port);
  }

  public ControlPlaneMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() throws Exception {
    if (subscription != null) {
      subscription.close();
    }
    refresher.close();
    server.close();
    metrics.close();
  }
}
