package dev.flotilla.controlplane.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics} on a port of its own, plain HTTP, no authentication (as Argo CD's metrics
 * ports): only counts and names are exposed, never a secret. Kept off the API port so that a
 * NetworkPolicy can open it to Prometheus alone. The scrape is rendered on a worker thread: a
 * registry with 20,000 Applications takes milliseconds that an event loop must not spend.
 */
public final class MetricsServer {

  public static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ControlPlaneMetrics metrics;
  private HttpServer server;

  public MetricsServer(Vertx vertx, ControlPlaneMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** Listens on {@code host:port} (0: a free port); completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(port, host)
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  private void handle(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      request.response().setStatusCode(404).end("not found: metrics are at " + PATH + "\n");
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    vertx
        .executeBlocking(metrics::scrape, false)
        .onSuccess(body -> request.response().putHeader("Content-Type", CONTENT_TYPE).end(body))
        .onFailure(
            e -> request.response().setStatusCode(500).end("cannot render metrics: " + e + "\n"));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
