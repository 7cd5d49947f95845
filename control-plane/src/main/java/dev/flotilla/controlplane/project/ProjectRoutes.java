package dev.flotilla.controlplane.project;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.core.selector.LabelSelector;
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
    LabelSelector labels;
    PageRequest page;
    try {
      labels = LabelSelectors.parse(ctx.queryParams().get("label"), "label");
      page =
          PageRequest.parse(
              ctx.queryParams().get("limit"), ctx.queryParams().get("pageToken"), "limit");
    } catch (RuntimeException e) {
      Http.fail(ctx, e);
      return;
    }
    catalog
        .list(Callers.of(ctx), labels, page)
        .onSuccess(
            found ->
                Http.json(ctx, 200, Http.page(new JsonArray(found.items()), found.nextPageToken())))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void getProject(RoutingContext ctx) {
    catalog
        .get(Callers.of(ctx), ctx.pathParam("name"))
        .onSuccess(p -> Http.json(ctx, 200, p))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void applyProject(RoutingContext ctx) {
    String pathName = ctx.pathParam("name");
    catalog
        .apply(Callers.of(ctx), ctx.body().asString(), pathName)
        .onSuccess(
            doc ->
                Http.json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("name", doc.getJsonObject("metadata").getString("name"))
                        .put("applied", true)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void deleteProject(RoutingContext ctx) {
    catalog
        .delete(Callers.of(ctx), ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Http.fail(ctx, e));
  }
}
