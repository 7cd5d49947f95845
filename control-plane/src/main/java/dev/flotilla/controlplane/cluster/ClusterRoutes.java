package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * REST for clusters: register (the join token is shown once), list, relabel, rotate, revoke,
 * remove.
 */
public final class ClusterRoutes implements Routes {

  private final ClusterRegistry registry;

  public ClusterRoutes(ClusterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/clusters").handler(this::listClusters);
    router.post("/api/v1/clusters").handler(this::addCluster);
    router.put("/api/v1/clusters/:name").handler(this::updateCluster);
    router.delete("/api/v1/clusters/:name").handler(this::removeCluster);
    router.post("/api/v1/clusters/:name/revoke").handler(this::revokeCluster);
    router.post("/api/v1/clusters/:name/rotate-token").handler(this::rotateToken);
  }

  private void listClusters(RoutingContext ctx) {
    registry
        .repository()
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(c -> items.add(clusterJson(c)));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void addCluster(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Map<String, String> labels;
    Map<String, String> annotations;
    try {
      labels = Http.stringMap(body.getJsonObject("labels", new JsonObject()), "labels");
      annotations =
          Http.stringMap(body.getJsonObject("annotations", new JsonObject()), "annotations");
    } catch (IllegalArgumentException | ClassCastException e) {
      Http.error(ctx, 400, e.getMessage());
      return;
    }
    registry
        .register(body.getString("name", ""), body.getString("server"), labels, annotations)
        .onSuccess(
            r ->
                Http.json(
                    ctx,
                    201,
                    new JsonObject()
                        .put("name", r.cluster().name())
                        .put("server", r.cluster().server())
                        .put("token", r.token())))
        .onFailure(e -> Http.fail(ctx, e));
  }

  /** Relabelling a cluster regenerates every ApplicationSet: cluster generators select by label. */
  private void updateCluster(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Map<String, String> labels;
    Map<String, String> annotations;
    try {
      labels = Http.stringMap(body.getJsonObject("labels", new JsonObject()), "labels");
      annotations =
          Http.stringMap(body.getJsonObject("annotations", new JsonObject()), "annotations");
    } catch (IllegalArgumentException | ClassCastException e) {
      Http.error(ctx, 400, e.getMessage());
      return;
    }
    registry
        .update(ctx.pathParam("name"), labels, annotations)
        .onSuccess(c -> Http.json(ctx, 200, clusterJson(c)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void removeCluster(RoutingContext ctx) {
    registry
        .remove(ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void revokeCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registry
        .revoke(name)
        .onSuccess(
            v -> Http.json(ctx, 200, new JsonObject().put("name", name).put("revoked", true)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void rotateToken(RoutingContext ctx) {
    registry
        .rotate(ctx.pathParam("name"))
        .onSuccess(
            r ->
                Http.json(
                    ctx,
                    200,
                    new JsonObject().put("name", r.cluster().name()).put("token", r.token())))
        .onFailure(e -> Http.fail(ctx, e));
  }

  static JsonObject clusterJson(Cluster c) {
    return new JsonObject()
        .put("name", c.name())
        .put("server", c.server())
        .put("labels", new JsonObject(new TreeMap<>(c.labels())))
        .put("annotations", new JsonObject(new TreeMap<>(c.annotations())))
        .put("connected", c.connected())
        .put("agentVersion", c.agentVersion())
        .put("lastSeenAt", c.lastSeenAt() == null ? null : c.lastSeenAt().toString())
        .put("createdAt", c.createdAt().toString());
  }
}
