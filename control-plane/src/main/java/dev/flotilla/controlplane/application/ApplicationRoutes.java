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

/**
 * REST for Applications: list and get with status, sync, refresh, history, rollback and the sync
 * operations (terminate the running one, list every one).
 */
public final class ApplicationRoutes implements Routes {

  private final ApplicationService applications;

  public ApplicationRoutes(ApplicationService applications) {
    this.applications = applications;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/applications").handler(this::listApplications);
    router.get("/api/v1/applications/:name").handler(this::getApplication);
    router.post("/api/v1/applications/:name/sync").handler(this::syncApplication);
    router.post("/api/v1/applications/:name/refresh").handler(this::refreshApplication);
    router.get("/api/v1/applications/:name/history").handler(this::applicationHistory);
    router.post("/api/v1/applications/:name/rollback").handler(this::rollbackApplication);
    // As Argo CD's API: DELETE .../operation terminates the running one.
    router.delete("/api/v1/applications/:name/operation").handler(this::terminateOperation);
    router.get("/api/v1/applications/:name/operations").handler(this::applicationOperations);
  }

  private void terminateOperation(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        202,
        () -> applications.terminateOperation(Callers.of(ctx), name),
        v -> new JsonObject().put("name", name).put("terminate", "requested"));
  }

  private void applicationOperations(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        200,
        () -> applications.operations(Callers.of(ctx), name),
        ops -> new JsonObject().put("name", name).put("items", new JsonArray(ops)));
  }

  private void listApplications(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> {
          var q = ctx.queryParams();
          ApplicationFilter filter =
              new ApplicationFilter(
                  q.get("project"),
                  q.get("cluster"),
                  q.get("applicationSet"),
                  q.get("sync"),
                  q.get("health"),
                  LabelSelectors.parse(q.get("label"), "label"));
          PageRequest page = PageRequest.parse(q.get("limit"), q.get("pageToken"), "limit");
          return applications.list(Callers.of(ctx), filter, page);
        },
        found -> {
          JsonArray items = new JsonArray();
          found.items().forEach(v -> items.add(v.toJson()));
          return Http.page(items, found.nextPageToken());
        });
  }

  private void getApplication(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> applications.describe(Callers.of(ctx), ctx.pathParam("name")),
        json -> json);
  }

  private void syncApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        202,
        () -> {
          JsonObject body = Http.optionalBody(ctx);
          Object revision = body.getValue("revision", "");
          if (!(revision instanceof String r)) {
            throw ApiException.invalid("revision: must be a string (a commit SHA)");
          }
          Object prune = body.getValue("prune", false);
          if (!(prune instanceof Boolean p)) {
            throw ApiException.invalid("prune: must be true or false");
          }
          return applications.sync(Callers.of(ctx), name, r, p);
        },
        v -> new JsonObject().put("name", name).put("sync", "requested"));
  }

  private void refreshApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        202,
        () -> {
          Object hard = Http.optionalBody(ctx).getValue("hard", false);
          if (!(hard instanceof Boolean h)) {
            throw ApiException.invalid("hard: must be true or false");
          }
          return applications.refresh(Callers.of(ctx), name, h);
        },
        told ->
            new JsonObject()
                .put("name", name)
                .put("refresh", "requested")
                .put("agentNotified", told));
  }

  private void applicationHistory(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        200,
        () -> applications.history(Callers.of(ctx), name),
        entries -> {
          JsonArray items = new JsonArray();
          entries.forEach(e -> items.add(e.toJson()));
          return new JsonObject().put("name", name).put("items", items);
        });
  }

  /** Body {"id": N}, {"revision": "SHA"} or nothing (the deployment before the current one). */
  private void rollbackApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        202,
        () -> {
          JsonObject body = Http.optionalBody(ctx);
          Long id = rollbackId(body.getValue("id"));
          Object revision = body.getValue("revision");
          if (revision != null && !(revision instanceof String)) {
            throw ApiException.invalid("revision: must be a string (a commit SHA)");
          }
          return applications.rollback(Callers.of(ctx), name, id, (String) revision);
        },
        target ->
            new JsonObject()
                .put("name", name)
                .put("rollback", "requested")
                .put("id", target.id())
                .put("revision", target.revision()));
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
