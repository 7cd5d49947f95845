package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** REST for ApplicationSets: apply (YAML or JSON), list, get with status, delete. */
public final class ApplicationSetRoutes implements Routes {

  private final ApplicationSetCatalog catalog;

  public ApplicationSetRoutes(ApplicationSetCatalog catalog) {
    this.catalog = catalog;
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
    Http.reply(
        ctx,
        200,
        () -> {
          var q = ctx.queryParams();
          return catalog.list(
              Callers.of(ctx),
              q.get("project"),
              LabelSelectors.parse(q.get("label"), "label"),
              PageRequest.parse(q.get("limit"), q.get("pageToken"), "limit"));
        },
        found -> {
          JsonArray items = new JsonArray();
          found
              .items()
              .forEach(
                  a ->
                      items.add(
                          new JsonObject()
                              .put("name", a.name())
                              .put("project", ApplicationSetCatalog.projectOf(a.document()))
                              .put("status", a.status())));
          return Http.page(items, found.nextPageToken());
        });
  }

  private void getApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        200,
        () -> catalog.get(Callers.of(ctx), name),
        found ->
            new JsonObject()
                .put("name", name)
                .put("project", ApplicationSetCatalog.projectOf(found.document()))
                .put("document", found.document())
                .put("status", found.status()));
  }

  private void applyApplicationSet(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> catalog.apply(Callers.of(ctx), ctx.body().asString(), ctx.pathParam("name")),
        appSet -> new JsonObject().put("name", appSet.name()).put("applied", true));
  }

  /**
   * 202 Accepted at once: the deletion goes on in the background, and {@code GET} of the set shows
   * its progress in {@code status.deletion} until the set is gone (404).
   */
  private void deleteApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        202,
        () -> catalog.delete(Callers.of(ctx), name),
        deletion -> {
          ctx.response()
              .putHeader(
                  "Location",
                  "/api/v1/applicationsets/"
                      + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
          return new JsonObject().put("name", name).put("deletion", deletion);
        });
  }
}
