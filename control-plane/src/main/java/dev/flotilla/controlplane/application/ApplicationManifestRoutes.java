package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * REST for Applications written by hand, as Argo CD's API: {@code POST /api/v1/applications}
 * (create; {@code ?upsert=true} replaces), {@code PUT /api/v1/applications/NAME} (apply: create or
 * replace), {@code PATCH} (JSON merge patch) and {@code DELETE ...?cascade=false}. Bodies are
 * manifests in YAML or JSON. Answers 201 when created, else 200, with {@code result} created,
 * configured or unchanged.
 */
public final class ApplicationManifestRoutes implements Routes {

  private final ApplicationManifests manifests;

  public ApplicationManifestRoutes(ApplicationManifests manifests) {
    this.manifests = manifests;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/applications").handler(this::create);
    router.put("/api/v1/applications/:name").handler(this::apply);
    router.patch("/api/v1/applications/:name").handler(this::patch);
    router.delete("/api/v1/applications/:name").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Http.respond(
        ctx,
        () -> manifests.create(Callers.of(ctx), Http.body(ctx), flag(ctx, "upsert", false)),
        applied -> answer(ctx, applied));
  }

  private void apply(RoutingContext ctx) {
    Http.respond(
        ctx,
        () -> manifests.apply(Callers.of(ctx), Http.body(ctx), ctx.pathParam("name")),
        applied -> answer(ctx, applied));
  }

  private void patch(RoutingContext ctx) {
    Http.respond(
        ctx,
        () -> manifests.patch(Callers.of(ctx), ctx.pathParam("name"), Http.body(ctx)),
        applied -> answer(ctx, applied));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        200,
        () -> {
          String cascade = ctx.queryParams().get("cascade");
          return manifests.delete(
              Callers.of(ctx), name, cascade == null ? null : flag(ctx, "cascade", true));
        },
        deleted -> new JsonObject().put("name", name).put("deleted", deleted));
  }

  private static void answer(RoutingContext ctx, ApplicationManifests.Applied applied) {
    Http.json(
        ctx,
        applied.outcome() == ApplicationManifests.Outcome.CREATED ? 201 : 200,
        applied.toJson());
  }

  /** A boolean query parameter, as Argo CD's API takes them. */
  static boolean flag(RoutingContext ctx, String name, boolean fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.invalid(name + ": must be true or false, got '" + value + "'");
    };
  }
}
