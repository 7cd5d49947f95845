package dev.flotilla.controlplane.project;

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
    router.delete("/api/v1/projects/:name").handler(this::deleteProject);
  }

  private void listProjects(RoutingContext ctx) {
    catalog
        .list()
        .onSuccess(
            items -> Http.json(ctx, 200, new JsonObject().put("items", new JsonArray(items))))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void getProject(RoutingContext ctx) {
    catalog
        .get(ctx.pathParam("name"))
        .onSuccess(p -> Http.json(ctx, 200, p))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void applyProject(RoutingContext ctx) {
    catalog
        .apply(ctx.body().asString())
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
        .delete(ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Http.fail(ctx, e));
  }
}
