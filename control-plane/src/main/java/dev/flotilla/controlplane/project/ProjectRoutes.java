package dev.flotilla.controlplane.project;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** REST for AppProjects: apply (validated), list, get, delete when unused. */
public final class ProjectRoutes implements Routes {

  private final ProjectCatalog catalog;

  public ProjectRoutes(ProjectCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/projects").handler(this::listProjects);
    router.get("/api/v1/projects/:name").handler(this::getProject);
    router.post("/api/v1/projects").handler(this::applyProject);
    router.put("/api/v1/projects/:name").handler(this::applyProject);
    router.delete("/api/v1/projects/:name").handler(this::deleteProject);
  }

  private void listProjects(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () ->
            catalog.list(
                Callers.of(ctx),
                LabelSelectors.parse(ctx.queryParams().get("label"), "label"),
                PageRequest.parse(
                    ctx.queryParams().get("limit"), ctx.queryParams().get("pageToken"), "limit")),
        found -> Http.page(new JsonArray(found.items()), found.nextPageToken()));
  }

  private void getProject(RoutingContext ctx) {
    Http.reply(ctx, 200, () -> catalog.get(Callers.of(ctx), ctx.pathParam("name")), p -> p);
  }

  private void applyProject(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> catalog.apply(Callers.of(ctx), ctx.body().asString(), ctx.pathParam("name")),
        doc ->
            new JsonObject()
                .put("name", doc.getJsonObject("metadata").getString("name"))
                .put("applied", true));
  }

  private void deleteProject(RoutingContext ctx) {
    Http.replyNoContent(ctx, () -> catalog.delete(Callers.of(ctx), ctx.pathParam("name")));
  }
}
