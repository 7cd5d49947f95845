package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream/applications?name=A&name=B}: the named Applications now, then each
 * change to one of them, one JSON object a line ({@code {"result": {"type": "MODIFIED",
 * "application": {...}}}}, the shape of Argo CD's {@code /api/v1/stream/applications}), until the
 * client goes away. The REST twin of the gRPC {@code ApplicationService.Watch}, for {@code flotilla
 * app wait}: the client blocks on a socket instead of polling.
 *
 * <p>Applications the caller may not see are never sent (missing and hidden look alike). A client
 * that reads too slowly for the changes is cut off rather than buffered without bound; it opens the
 * stream again and gets the current state first.
 */
public final class ApplicationStreamRoutes implements Routes {

  static final String PATH = "/api/v1/stream/applications";

  /** Most names one stream may watch: every name costs a lookup per change. */
  static final int MAX_NAMES = 100;

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationStreamRoutes.class);

  private final ApplicationService applications;
  private final ApplicationEvents events;

  public ApplicationStreamRoutes(ApplicationService applications, ApplicationEvents events) {
    this.applications = applications;
    this.events = events;
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(this::stream);
  }

  private void stream(RoutingContext ctx) {
    Set<String> names = new TreeSet<>(ctx.queryParam("name"));
    names.remove("");
    if (names.isEmpty()) {
      Http.error(ctx, 400, "name: give at least one Application name (?name=NAME)");
      return;
    }
    if (names.size() > MAX_NAMES) {
      Http.error(ctx, 400, "name: at most " + MAX_NAMES + " Applications per stream");
      return;
    }
    Caller caller = Callers.of(ctx);
    // Every write happens on the connection's own context, in the order the lookups finish.
    Context context = Vertx.currentContext();
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store");
    response.setStatusCode(200).writeHead();
    AutoCloseable subscription =
        events.subscribe(
            name -> {
              if (names.contains(name)) {
                send(context, response, caller, name, "MODIFIED");
              }
            });
    Runnable unsubscribe =
        () -> {
          try {
            subscription.close();
          } catch (Exception e) {
            LOG.debug("closing an application stream", e);
          }
        };
    response.closeHandler(v -> unsubscribe.run());
    response.endHandler(v -> unsubscribe.run());
    names.forEach(name -> send(context, response, caller, name, "ADDED"));
  }

  private void send(
      Context context, HttpServerResponse response, Caller caller, String name, String type) {
    applications
        .visible(caller, name)
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (response.ended() || response.closed()) {
                        return;
                      }
                      if (ar.failed()) {
                        // The database is away: end the stream; the client opens it again.
                        LOG.warn("application stream: cannot read {}", name, ar.cause());
                        response.end();
                        return;
                      }
                      write(response, ar.result(), type);
                    }));
  }

  private static void write(HttpServerResponse response, List<ApplicationView> found, String type) {
    for (ApplicationView view : found) {
      if (response.writeQueueFull()) {
        response.end(); // too slow a reader: it reconnects and starts from the current state
        return;
      }
      JsonObject event =
          new JsonObject()
              .put("result", new JsonObject().put("type", type).put("application", view.toJson()));
      response.write(event.encode() + "\n");
    }
  }
}
