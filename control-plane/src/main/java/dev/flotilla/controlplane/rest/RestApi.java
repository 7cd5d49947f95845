package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
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
    RequestBodies bodies = new RequestBodies(vertx);
    router.get("/healthz").handler(this::healthz);
    router.get("/readyz").handler(this::readyz);
    // Hold the body back until a body handler asks for it: the bearer-token check is asynchronous,
    // and an unauthenticated request must not have its body read at all.
    router
        .route("/api/v1/*")
        .handler(
            ctx -> {
              ctx.request().pause();
              ctx.next();
            });
    router.route("/api/v1/*").handler(RestApi::refuseNul);
    // Authenticated by its own signature, so it is routed before the bearer-token check; its body
    // is read (bounded, never to disk) only to check that signature, and parsed only once it holds.
    // Vert.x wants a body handler ahead of every user handler of its route, so each step is a
    // route of its own, in this order.
    String hook = "/api/v1/webhook/git";
    router.post(hook).handler(RestApi::refuseForms);
    router.post(hook).handler(bodyHandler());
    router.post(hook).handler(webhook::verify);
    router.post(hook).handler(bodies::parse);
    router.post(hook).handler(webhook::handle);
    // Everything else under /api/v1 needs a bearer token, checked before any byte of the body is
    // read: an unauthenticated request costs no memory and no disk. What the caller may do is
    // decided per object.
    router.route("/api/v1/*").handler(this::authenticate);
    router.route("/api/v1/*").handler(RestApi::refuseForms);
    router.route("/api/v1/*").handler(bodyHandler());
    router.route("/api/v1/*").handler(bodies::parse);
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
   * Bodies stay in memory, bounded: no file uploads (Vert.x would otherwise save multipart parts
   * under {@code ./file-uploads} and keep them), and a body past the limit is refused with 413 as
   * soon as its Content-Length or its running size says so.
   */
  private static BodyHandler bodyHandler() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  /** No endpoint takes forms or uploads: refuse them before reading any of the body. */
  private static void refuseForms(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
      Http.error(
          ctx,
          415,
          "Content-Type "
              + Http.printable(type)
              + " is not accepted: send JSON (application/json) or YAML (application/yaml)");
      return;
    }
    ctx.next();
  }

  /**
   * Postgres cannot store NUL in text: a NUL in the path or a query parameter is refused here with
   * 400 naming where it is, instead of failing later as an internal error.
   */
  private static void refuseNul(RoutingContext ctx) {
    try {
      String path = ctx.request().path();
      if (path != null
          && (path.indexOf('\0') >= 0 || path.toLowerCase(Locale.ROOT).contains("%00"))) {
        throw ApiException.invalid("path: contains a NUL character (%00), which is not allowed");
      }
      ctx.queryParams()
          .forEach(
              e -> {
                RequestBodies.requireNoNul("query parameter name", e.getKey());
                RequestBodies.requireNoNul("query parameter " + e.getKey(), e.getValue());
              });
    } catch (RuntimeException e) {
      Http.fail(ctx, e);
      return;
    }
    ctx.next();
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
