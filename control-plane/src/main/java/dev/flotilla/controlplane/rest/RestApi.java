package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API ({@code /api/v1}) and health endpoints: one body limit, one bearer-token check for
 * every request, one error shape; each feature's endpoints come from its own {@link Routes}.
 */
public final class RestApi {

  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

  /** Largest request body accepted; larger ones get 413. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private final Database database;
  private final AccessControl access;
  private final GitWebhook webhook;
  private final List<Routes> features;

  public RestApi(
      Database database, AccessControl access, GitWebhook webhook, List<Routes> features) {
    this.database = database;
    this.access = access;
    this.webhook = webhook;
    this.features = List.copyOf(features);
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(this::healthz);
    router.get("/readyz").handler(this::readyz);
    router.route("/api/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    // Authenticated by its own signature, so it is routed before the bearer-token check.
    router.post("/api/v1/webhook/git").handler(webhook::handle);
    // Everything else under /api/v1 needs a bearer token; what it may do is decided per object.
    router.route("/api/v1/*").handler(this::authenticate);
    features.forEach(f -> f.mount(router));

    router.errorHandler(
        413,
        ctx -> Http.error(ctx, 413, "request body is larger than " + MAX_BODY_BYTES + " bytes"));
    router.errorHandler(
        404, ctx -> Http.error(ctx, 404, "no such endpoint: " + ctx.request().path()));
    router.errorHandler(
        500,
        ctx -> {
          LOG.warn("request {} failed", ctx.request().path(), ctx.failure());
          Http.error(ctx, 500, "internal error");
        });
    return router;
  }

  /**
   * Liveness: whether this process can work at all. Its own embedded database dying counts (a
   * supervisor restarting the process may help); an external database being away does not (see
   * {@code /readyz}).
   */
  private void healthz(RoutingContext ctx) {
    database
        .problem()
        .ifPresentOrElse(
            problem ->
                Http.json(
                    ctx, 503, new JsonObject().put("status", "failing").put("reason", problem)),
            () -> Http.json(ctx, 200, new JsonObject().put("status", "ok")));
  }

  private void readyz(RoutingContext ctx) {
    database
        .ping()
        .onSuccess(v -> Http.json(ctx, 200, new JsonObject().put("status", "ready")))
        .onFailure(e -> Http.error(ctx, 503, "database unreachable: " + e.getMessage()));
  }

  private void authenticate(RoutingContext ctx) {
    access
        .authenticate(ctx.request().getHeader("Authorization"))
        .onSuccess(
            caller -> {
              Callers.put(ctx, caller);
              ctx.next();
            })
        .onFailure(
            e -> {
              ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"flotilla\"");
              Http.fail(ctx, e);
            });
  }
}
