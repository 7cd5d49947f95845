package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/** REST for Applications: list and get with status, sync (and rollback), refresh. */
public final class ApplicationRoutes implements Routes {

  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final RevisionPoller poller;

  public ApplicationRoutes(
      ApplicationRepository applications, AgentDispatcher dispatcher, RevisionPoller poller) {
    this.applications = applications;
    this.dispatcher = dispatcher;
    this.poller = poller;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applications").handler(this::listApplications);
    router.get("/api/v1/applications/:name").handler(this::getApplication);
    router.post("/api/v1/applications/:name/sync").handler(this::syncApplication);
    router.post("/api/v1/applications/:name/refresh").handler(this::refreshApplication);
  }

  private void listApplications(RoutingContext ctx) {
    String cluster = ctx.queryParams().get("cluster");
    applications
        .listViews(null)
        .onSuccess(
            views -> {
              JsonArray items = new JsonArray();
              views.stream()
                  .filter(v -> cluster == null || cluster.equals(v.cluster()))
                  .forEach(v -> items.add(v.toJson()));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  /** Runs {@code then} with the named Application, or answers 404. */
  private void withApplication(RoutingContext ctx, Consumer<ApplicationView> then) {
    String name = ctx.pathParam("name");
    applications
        .listViews(name)
        .onSuccess(
            views -> {
              if (views.isEmpty()) {
                Http.error(ctx, 404, "application '" + name + "' not found");
              } else {
                then.accept(views.get(0));
              }
            })
        .onFailure(ctx::fail);
  }

  private void getApplication(RoutingContext ctx) {
    withApplication(ctx, app -> Http.json(ctx, 200, app.toJson()));
  }

  private void syncApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String raw = ctx.body().asString();
    JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    withApplication(
        ctx,
        app -> {
          if (app.cluster() == null || app.dispatchError() != null) {
            Http.error(
                ctx,
                409,
                "application '" + name + "' cannot be dispatched: " + app.dispatchError());
            return;
          }
          String revision = body.getString("revision", "");
          if (!revision.isEmpty() && app.automated()) {
            // As in Argo CD: automated sync would undo a rollback at once.
            Http.error(
                ctx,
                409,
                "application '"
                    + name
                    + "' has automated sync; disable it (remove syncPolicy.automated) before"
                    + " rolling back to "
                    + revision);
            return;
          }
          if (!dispatcher.requestSync(app.cluster(), name, revision)) {
            Http.error(ctx, 503, "the agent of cluster '" + app.cluster() + "' is not connected");
            return;
          }
          Http.json(ctx, 202, new JsonObject().put("name", name).put("sync", "requested"));
        });
  }

  /**
   * Re-resolves Git now and has the agent compare again; applies only what automated sync would.
   */
  private void refreshApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    withApplication(
        ctx,
        app -> {
          poller.pollSoon();
          boolean told = app.cluster() != null && dispatcher.requestRefresh(app.cluster(), name);
          Http.json(
              ctx,
              202,
              new JsonObject()
                  .put("name", name)
                  .put("refresh", "requested")
                  .put("agentNotified", told));
        });
  }
}
