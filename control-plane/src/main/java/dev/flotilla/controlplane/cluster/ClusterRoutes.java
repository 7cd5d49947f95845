package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
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
    router.get("/api/v1/clusters/:name").handler(this::getCluster);
    router.post("/api/v1/clusters").handler(this::addCluster);
    router.put("/api/v1/clusters/:name").handler(this::updateCluster);
    router.delete("/api/v1/clusters/:name").handler(this::removeCluster);
    router.post("/api/v1/clusters/:name/revoke").handler(this::revokeCluster);
    router.post("/api/v1/clusters/:name/rotate-token").handler(this::rotateToken);
  }

  private void listClusters(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () ->
            registry.list(
                Callers.of(ctx),
                LabelSelectors.parse(ctx.queryParams().get("label"), "label"),
                PageRequest.parse(
                    ctx.queryParams().get("limit"), ctx.queryParams().get("pageToken"), "limit")),
        found -> {
          JsonArray items = new JsonArray();
          found.items().forEach(c -> items.add(clusterJson(c)));
          return Http.page(items, found.nextPageToken());
        });
  }

  private void getCluster(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> registry.get(Callers.of(ctx), ctx.pathParam("name")),
        ClusterRoutes::clusterJson);
  }

  private void addCluster(RoutingContext ctx) {
    Http.reply(
        ctx,
        201,
        () -> {
          JsonObject body = Http.body(ctx);
          Map<String, String> labels = Http.stringMapField(body, "labels");
          Map<String, String> annotations = Http.stringMapField(body, "annotations");
          return registry.register(
              Callers.of(ctx),
              Http.string(body, "name", ""),
              Http.string(body, "server", null),
              labels,
              annotations);
        },
        r ->
            new JsonObject()
                .put("name", r.cluster().name())
                .put("server", r.cluster().server())
                .put("token", r.token()));
  }

  /** Relabelling a cluster regenerates every ApplicationSet: cluster generators select by label. */
  private void updateCluster(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> {
          JsonObject body = Http.body(ctx);
          Map<String, String> labels = Http.stringMapField(body, "labels");
          Map<String, String> annotations = Http.stringMapField(body, "annotations");
          return registry.update(Callers.of(ctx), ctx.pathParam("name"), labels, annotations);
        },
        ClusterRoutes::clusterJson);
  }

  private void removeCluster(RoutingContext ctx) {
    Http.replyNoContent(ctx, () -> registry.remove(Callers.of(ctx), ctx.pathParam("name")));
  }

  private void revokeCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Http.reply(
        ctx,
        200,
        () -> registry.revoke(Callers.of(ctx), name),
        v -> new JsonObject().put("name", name).put("revoked", true));
  }

  private void rotateToken(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> registry.rotate(Callers.of(ctx), ctx.pathParam("name")),
        r -> new JsonObject().put("name", r.cluster().name()).put("token", r.token()));
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
