package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** REST for clusters: register (the join token is shown once), list, relabel, revoke, remove. */
public final class ClusterRoutes implements Routes {

  private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final ClusterRepository clusters;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;

  public ClusterRoutes(
      ClusterRepository clusters, ApplicationSetController controller, AgentDispatcher dispatcher) {
    this.clusters = clusters;
    this.controller = controller;
    this.dispatcher = dispatcher;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/clusters").handler(this::listClusters);
    router.post("/api/v1/clusters").handler(this::addCluster);
    router.put("/api/v1/clusters/:name").handler(this::updateCluster);
    router.delete("/api/v1/clusters/:name").handler(this::removeCluster);
    router.post("/api/v1/clusters/:name/revoke").handler(this::revokeCluster);
  }

  private void listClusters(RoutingContext ctx) {
    clusters
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(c -> items.add(clusterJson(c)));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void addCluster(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    String name = body.getString("name", "");
    if (!CLUSTER_NAME.matcher(name).matches()) {
      Http.error(
          ctx,
          400,
          "name: must be a DNS label (lower-case letters, digits and '-', at most 63), got '"
              + name
              + "'");
      return;
    }
    String server = body.getString("server", "https://" + name + ".cluster.invalid");
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
    String token = JoinTokens.newToken();
    clusters
        .insert(name, server, labels, annotations, JoinTokens.hash(token))
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .onSuccess(
            v ->
                Http.json(
                    ctx,
                    201,
                    new JsonObject().put("name", name).put("server", server).put("token", token)))
        .onFailure(
            e -> {
              if (e instanceof ClusterExistsException) {
                Http.error(ctx, 409, e.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  /** Relabelling a cluster regenerates every ApplicationSet: cluster generators select by label. */
  private void updateCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
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
    clusters
        .updateMetadata(name, labels, annotations)
        .onSuccess(
            found -> {
              if (!found) {
                Http.error(ctx, 404, "cluster '" + name + "' not found");
                return;
              }
              controller
                  .reconcileAll()
                  .onComplete(
                      ar ->
                          Http.json(
                              ctx,
                              200,
                              new JsonObject()
                                  .put("name", name)
                                  .put("labels", new JsonObject(new TreeMap<>(labels)))));
            })
        .onFailure(ctx::fail);
  }

  private void removeCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    clusters
        .delete(name)
        .onSuccess(
            deleted -> {
              if (!deleted) {
                Http.error(ctx, 404, "cluster '" + name + "' not found");
                return;
              }
              dispatcher.disconnect(name, "cluster removed");
              controller.reconcileAll();
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  private void revokeCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    clusters
        .revokeToken(name)
        .onSuccess(
            found -> {
              if (!found) {
                Http.error(ctx, 404, "cluster '" + name + "' not found");
                return;
              }
              dispatcher.disconnect(name, "token revoked");
              Http.json(ctx, 200, new JsonObject().put("name", name).put("revoked", true));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject clusterJson(Cluster c) {
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
