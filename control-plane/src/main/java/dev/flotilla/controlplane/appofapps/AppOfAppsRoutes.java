package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * REST for App of Apps: a parent's children and conditions, and Argo CD's "sync with prune" for its
 * children.
 */
public final class AppOfAppsRoutes implements Routes {

  private final AppOfAppsService service;

  public AppOfAppsRoutes(AppOfAppsService service) {
    this.service = service;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applications/:name/children").handler(this::children);
    router.post("/api/v1/applications/:name/children/prune").handler(this::prune);
  }

  private void children(RoutingContext ctx) {
    Http.reply(ctx, 200, () -> service.children(Callers.of(ctx), ctx.pathParam("name")), c -> c);
  }

  private void prune(RoutingContext ctx) {
    Http.reply(
        ctx, 200, () -> service.syncWithPrune(Callers.of(ctx), ctx.pathParam("name")), c -> c);
  }
}
