package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.ApiException;
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
    router.get("/api/v1/clusters/:name").handler(this::getCluster);
    router.post("/api/v1/clusters").handler(this::addCluster);
    router.put("/api/v1/clusters/:name").handler(this::updateCluster);
    router.delete("/api/v1/clusters/:name").handler(this::removeCluster);
    router.post("/api/v1/clusters/:name/revoke").handler(this::revokeCluster);
    router.post("/api/v1/clusters/:name/rotate-token").handler(this::rotateToken);
  }

  private void listClusters(RoutingContext ctx) {
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
    registry
        .list(Callers.of(ctx), labels, page)
        .onSuccess(
            found -> {
              JsonArray items = new JsonArray();
              found.items().forEach(c -> items.add(clusterJson(c)));
              Http.json(ctx, 200, Http.page(items, found.nextPageToken()));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void getCluster(RoutingContext ctx) {
    registry
        .get(Callers.of(ctx), ctx.pathParam("name"))
        .onSuccess(c -> Http.json(ctx, 200, clusterJson(c)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void addCluster(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Map<String, String> labels;
    Map<String, String> annotations;
    String name;
    String server;
    try {
      labels = Http.stringMapField(body, "labels");
      annotations = Http.stringMapField(body, "annotations");
      name = Http.string(body, "name", "");
      server = Http.string(body, "server", null);
    } catch (IllegalArgumentException | ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    registry
        .register(Callers.of(ctx), name, server, labels, annotations)
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
      labels = Http.stringMapField(body, "labels");
      annotations = Http.stringMapField(body, "annotations");
    } catch (IllegalArgumentException | ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    registry
        .update(Callers.of(ctx), ctx.pathParam("name"), labels, annotations)
        .onSuccess(c -> Http.json(ctx, 200, clusterJson(c)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void removeCluster(RoutingContext ctx) {
    registry
        .remove(Callers.of(ctx), ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void revokeCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registry
        .revoke(Callers.of(ctx), name)
        .onSuccess(
            v -> Http.json(ctx, 200, new JsonObject().put("name", name).put("revoked", true)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void rotateToken(RoutingContext ctx) {
    registry
        .rotate(Callers.of(ctx), ctx.pathParam("name"))
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
        .put(
            "agentHealth",
            new JsonObject().put("state", c.agentHealth()).put("message", c.agentHealthMessage()))
        .put("streamProblem", c.streamProblem())
        .put("streamProblemAt", c.streamProblemAt() == null ? null : c.streamProblemAt().toString())
        .put("createdAt", c.createdAt().toString());
  }
}
