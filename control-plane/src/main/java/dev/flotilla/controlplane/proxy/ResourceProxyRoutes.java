package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ObjectRef;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * REST for what the agent reads for the control plane: the resource tree, manifests from Git or
 * live, the diff, one object, its events and Pod logs (JSON lines while following). The same checks
 * and errors as every Application endpoint; "agent not connected" is 503.
 */
public final class ResourceProxyRoutes implements Routes {

  private final ResourceProxyService proxy;

  public ResourceProxyRoutes(ResourceProxyService proxy) {
    this.proxy = proxy;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applications/:name/resource-tree").handler(this::tree);
    router.get("/api/v1/applications/:name/manifests").handler(this::manifests);
    router.get("/api/v1/applications/:name/diff").handler(this::diff);
    router.get("/api/v1/applications/:name/resource").handler(this::resource);
    router.get("/api/v1/applications/:name/events").handler(this::events);
    router.get("/api/v1/applications/:name/logs").handler(this::logs);
  }

  private void tree(RoutingContext ctx) {
    Http.reply(ctx, 200, () -> proxy.resourceTree(Callers.of(ctx), name(ctx)), t -> t);
  }

  private void manifests(RoutingContext ctx) {
    String source = ctx.queryParams().get("source");
    String shown = source == null || source.isEmpty() ? "git" : source;
    Http.reply(
        ctx,
        200,
        () -> proxy.manifests(Callers.of(ctx), name(ctx), source),
        r -> ProxyJson.manifests(name(ctx), shown, r));
  }

  private void diff(RoutingContext ctx) {
    Http.reply(
        ctx, 200, () -> proxy.diff(Callers.of(ctx), name(ctx)), r -> ProxyJson.diff(name(ctx), r));
  }

  private void resource(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> proxy.resource(Callers.of(ctx), name(ctx), ref(ctx)),
        r -> ProxyJson.object(r.getObjects(0)));
  }

  private void events(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> proxy.events(Callers.of(ctx), name(ctx), ref(ctx)),
        r -> ProxyJson.events(name(ctx), r));
  }

  private void logs(RoutingContext ctx) {
    LogOptions options;
    ObjectRef ref;
    boolean follow;
    try {
      ref = ref(ctx);
      options = logOptions(ctx);
      follow = bool(ctx, "follow");
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    if (!follow) {
      Http.reply(
          ctx,
          200,
          () -> proxy.logs(Callers.of(ctx), name(ctx), ref, options),
          r -> ProxyJson.logs(name(ctx), r));
      return;
    }
    follow(ctx, ref, options);
  }

  /**
   * One JSON object per line ({@code application/x-ndjson}) as lines come; ends when the agent ends
   * the follow, and tells the agent to stop when the client goes away.
   */
  private void follow(RoutingContext ctx, ObjectRef ref, LogOptions options) {
    HttpServerResponse response = ctx.response();
    Context context = ctx.vertx().getOrCreateContext();
    Promise<Void> cancel = Promise.promise();
    response.closeHandler(v -> cancel.tryComplete());
    boolean[] started = {false};
    proxy
        .followLogs(
            Callers.of(ctx),
            name(ctx),
            ref,
            options,
            line ->
                context.runOnContext(
                    v -> {
                      if (response.closed() || response.ended()) {
                        return;
                      }
                      start(response, started);
                      response.write(ProxyJson.line(line).encode() + "\n");
                    }),
            cancel.future())
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (response.closed() || response.ended()) {
                        return;
                      }
                      if (ar.failed() && !started[0]) {
                        Http.fail(ctx, ar.cause());
                        return;
                      }
                      start(response, started);
                      if (ar.failed()) {
                        response.write(
                            new io.vertx.core.json.JsonObject()
                                    .put("error", ar.cause().getMessage())
                                    .encode()
                                + "\n");
                      }
                      response.end();
                    }));
  }

  private static void start(HttpServerResponse response, boolean[] started) {
    if (!started[0]) {
      started[0] = true;
      response
          .setChunked(true)
          .putHeader("Content-Type", "application/x-ndjson")
          .setStatusCode(200);
    }
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }

  static ObjectRef ref(RoutingContext ctx) {
    var q = ctx.queryParams();
    return ObjectRef.newBuilder()
        .setGroup(value(q.get("group")))
        .setKind(value(q.get("kind")))
        .setNamespace(value(q.get("namespace")))
        .setName(value(q.get("resourceName") != null ? q.get("resourceName") : q.get("name")))
        .build();
  }

  static LogOptions logOptions(RoutingContext ctx) {
    var q = ctx.queryParams();
    return LogOptions.newBuilder()
        .setContainer(value(q.get("container")))
        .setTailLines((int) number(q.get("tail"), "tail", Integer.MAX_VALUE))
        .setSinceSeconds(number(q.get("sinceSeconds"), "sinceSeconds", Long.MAX_VALUE))
        .build();
  }

  private static long number(String text, String field, long max) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      long n = Long.parseLong(text);
      if (n < 0 || n > max) {
        throw ApiException.invalid(field + ": must be a whole number from 0, found " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          field + ": must be a whole number, found '" + Http.printable(text) + "'");
    }
  }

  private static boolean bool(RoutingContext ctx, String field) {
    String text = ctx.queryParams().get(field);
    if (text == null || text.isEmpty() || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw ApiException.invalid(
        field + ": must be true or false, found '" + Http.printable(text) + "'");
  }

  private static String value(String s) {
    return s == null ? "" : s;
  }
}
