package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** REST for Applications: list and get with status, sync, refresh, history and rollback. */
public final class ApplicationRoutes implements Routes {

  private final ApplicationActions actions;

  public ApplicationRoutes(ApplicationActions actions) {
    this.actions = actions;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applications").handler(this::listApplications);
    router.get("/api/v1/applications/:name").handler(this::getApplication);
    router.post("/api/v1/applications/:name/sync").handler(this::syncApplication);
    router.post("/api/v1/applications/:name/refresh").handler(this::refreshApplication);
    router.get("/api/v1/applications/:name/history").handler(this::applicationHistory);
    router.post("/api/v1/applications/:name/rollback").handler(this::rollbackApplication);
  }

  private void listApplications(RoutingContext ctx) {
    ApplicationFilter filter;
    PageRequest page;
    try {
      var q = ctx.queryParams();
      filter =
          new ApplicationFilter(
              q.get("project"),
              q.get("cluster"),
              q.get("applicationSet"),
              q.get("sync"),
              q.get("health"),
              LabelSelectors.parse(q.get("label"), "label"));
      page = PageRequest.parse(q.get("limit"), q.get("pageToken"), "limit");
    } catch (RuntimeException e) {
      Http.fail(ctx, e);
      return;
    }
    actions
        .list(Callers.of(ctx), filter, page)
        .onSuccess(
            found -> {
              JsonArray items = new JsonArray();
              found.items().forEach(v -> items.add(v.toJson()));
              Http.json(ctx, 200, Http.page(items, found.nextPageToken()));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void getApplication(RoutingContext ctx) {
    actions
        .get(Callers.of(ctx), ctx.pathParam("name"))
        .onSuccess(app -> Http.json(ctx, 200, app.toJson()))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void syncApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = Http.optionalBodyJson(ctx);
    if (body == null) {
      return;
    }
    Object revision = body.getValue("revision", "");
    if (!(revision instanceof String)) {
      Http.fail(ctx, ApiException.invalid("revision: must be a string (a commit SHA)"));
      return;
    }
    actions
        .sync(Callers.of(ctx), name, (String) revision)
        .onSuccess(
            v -> Http.json(ctx, 202, new JsonObject().put("name", name).put("sync", "requested")))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void refreshApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    actions
        .refresh(Callers.of(ctx), name)
        .onSuccess(
            told ->
                Http.json(
                    ctx,
                    202,
                    new JsonObject()
                        .put("name", name)
                        .put("refresh", "requested")
                        .put("agentNotified", told)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void applicationHistory(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    actions
        .history(Callers.of(ctx), name)
        .onSuccess(
            entries -> {
              JsonArray items = new JsonArray();
              entries.forEach(e -> items.add(e.toJson()));
              Http.json(ctx, 200, new JsonObject().put("name", name).put("items", items));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  /** Body {"id": N}, {"revision": "SHA"} or nothing (the deployment before the current one). */
  private void rollbackApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = Http.optionalBodyJson(ctx);
    if (body == null) {
      return;
    }
    Long id;
    String revision;
    try {
      id = rollbackId(body.getValue("id"));
      Object r = body.getValue("revision");
      if (r != null && !(r instanceof String)) {
        throw ApiException.invalid("revision: must be a string (a commit SHA)");
      }
      revision = (String) r;
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    actions
        .rollback(Callers.of(ctx), name, id, revision)
        .onSuccess(
            target ->
                Http.json(
                    ctx,
                    202,
                    new JsonObject()
                        .put("name", name)
                        .put("rollback", "requested")
                        .put("id", target.id())
                        .put("revision", target.revision())))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private static Long rollbackId(Object id) {
    if (id == null) {
      return null;
    }
    if (id instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() > 0) {
      return n.longValue();
    }
    throw ApiException.invalid("id: must be a positive integer (a history entry id)");
  }
}
