package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** REST for ApplicationSets: apply (YAML or JSON), list, get with status, delete. */
public final class ApplicationSetRoutes implements Routes {

  private final ApplicationSetRepository applicationSets;
  private final ApplicationSetController controller;

  public ApplicationSetRoutes(
      ApplicationSetRepository applicationSets, ApplicationSetController controller) {
    this.applicationSets = applicationSets;
    this.controller = controller;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applicationsets").handler(this::listApplicationSets);
    router.get("/api/v1/applicationsets/:name").handler(this::getApplicationSet);
    router.post("/api/v1/applicationsets").handler(this::applyApplicationSet);
    router.put("/api/v1/applicationsets/:name").handler(this::applyApplicationSet);
    router.delete("/api/v1/applicationsets/:name").handler(this::deleteApplicationSet);
  }

  private void listApplicationSets(RoutingContext ctx) {
    applicationSets
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(
                  a -> items.add(new JsonObject().put("name", a.name()).put("status", a.status())));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void getApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applicationSets
        .get(name)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                Http.error(ctx, 404, "applicationset '" + name + "' not found");
                return;
              }
              Http.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("name", name)
                      .put("document", found.get().document())
                      .put("status", found.get().status()));
            })
        .onFailure(ctx::fail);
  }

  private void applyApplicationSet(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      Http.error(ctx, 400, "empty body: send an ApplicationSet as YAML or JSON");
      return;
    }
    String pathName = ctx.pathParam("name");
    controller
        .apply(text)
        .onSuccess(
            appSet -> {
              if (pathName != null && !pathName.equals(appSet.name())) {
                Http.error(
                    ctx,
                    400,
                    "metadata.name '"
                        + appSet.name()
                        + "' does not match the URL ('"
                        + pathName
                        + "')");
                return;
              }
              Http.json(ctx, 200, new JsonObject().put("name", appSet.name()).put("applied", true));
            })
        .onFailure(
            e -> {
              if (e instanceof IllegalArgumentException) {
                Http.error(ctx, 400, e.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  private void deleteApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    controller
        .delete(name)
        .onSuccess(
            deleted -> {
              if (deleted) {
                ctx.response().setStatusCode(204).end();
              } else {
                Http.error(ctx, 404, "applicationset '" + name + "' not found");
              }
            })
        .onFailure(ctx::fail);
  }
}
