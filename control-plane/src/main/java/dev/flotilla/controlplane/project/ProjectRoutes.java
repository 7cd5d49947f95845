package dev.flotilla.controlplane.project;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** REST for AppProjects: apply (validated), list, get, delete when unused. */
public final class ProjectRoutes implements Routes {

  private final ProjectRepository projects;
  private final ApplicationRepository applications;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;

  public ProjectRoutes(
      ProjectRepository projects,
      ApplicationRepository applications,
      ApplicationSetController controller,
      AgentDispatcher dispatcher) {
    this.projects = projects;
    this.applications = applications;
    this.controller = controller;
    this.dispatcher = dispatcher;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/projects").handler(this::listProjects);
    router.get("/api/v1/projects/:name").handler(this::getProject);
    router.post("/api/v1/projects").handler(this::applyProject);
    router.delete("/api/v1/projects/:name").handler(this::deleteProject);
  }

  private void listProjects(RoutingContext ctx) {
    projects
        .list()
        .onSuccess(
            items -> Http.json(ctx, 200, new JsonObject().put("items", new JsonArray(items))))
        .onFailure(ctx::fail);
  }

  private void getProject(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    projects
        .get(name)
        .onSuccess(
            p -> {
              if (p.isEmpty()) {
                Http.error(ctx, 404, "project '" + name + "' not found");
              } else {
                Http.json(ctx, 200, p.get());
              }
            })
        .onFailure(ctx::fail);
  }

  private void applyProject(RoutingContext ctx) {
    JsonObject document;
    try {
      document = AppProjectParser.parse(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (IllegalArgumentException e) {
      Http.error(ctx, 400, e.getMessage());
      return;
    }
    String name = document.getJsonObject("metadata").getString("name");
    projects
        .upsert(name, document)
        // Narrowing a project takes effect everywhere at once: regenerate and re-dispatch.
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .compose(v -> dispatcher.clustersChanged(dispatcher.connectedClusters()))
        .onSuccess(
            v -> Http.json(ctx, 200, new JsonObject().put("name", name).put("applied", true)))
        .onFailure(ctx::fail);
  }

  private void deleteProject(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applications
        .listAll()
        .compose(
            apps -> {
              long using = apps.stream().filter(a -> name.equals(a.project())).count();
              if (using > 0) {
                Http.error(
                    ctx,
                    409,
                    "project '"
                        + name
                        + "' is used by "
                        + using
                        + " Application(s); move or delete them first");
                return Future.succeededFuture();
              }
              return projects
                  .delete(name)
                  .onSuccess(
                      deleted -> {
                        if (deleted) {
                          ctx.response().setStatusCode(204).end();
                        } else {
                          Http.error(ctx, 404, "project '" + name + "' not found");
                        }
                      })
                  .mapEmpty();
            })
        .onFailure(ctx::fail);
  }
}
