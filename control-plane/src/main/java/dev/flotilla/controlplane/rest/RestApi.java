package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterExistsException;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.project.AppProjectParser;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST API ({@code /api/v1}) and health endpoints. */
public final class RestApi {

  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

  /** Largest request body accepted; larger ones get 413. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final Database database;
  private final ClusterRepository clusters;
  private final ApplicationRepository applications;
  private final ApplicationSetRepository applicationSets;
  private final DriftRepository drift;
  private final ProjectRepository projects;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;
  private final AdminToken adminToken;
  private final GitWebhook webhook;
  private final RevisionPoller poller;

  public RestApi(
      Database database,
      ClusterRepository clusters,
      ApplicationRepository applications,
      ApplicationSetRepository applicationSets,
      DriftRepository drift,
      ProjectRepository projects,
      ApplicationSetController controller,
      AgentDispatcher dispatcher,
      AdminToken adminToken,
      GitWebhook webhook,
      RevisionPoller poller) {
    this.database = database;
    this.clusters = clusters;
    this.applications = applications;
    this.applicationSets = applicationSets;
    this.drift = drift;
    this.projects = projects;
    this.controller = controller;
    this.dispatcher = dispatcher;
    this.adminToken = adminToken;
    this.webhook = webhook;
    this.poller = poller;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(this::healthz);
    router.get("/readyz").handler(this::readyz);
    router.route("/api/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    // Authenticated by its own signature, so it is routed before the admin check.
    router.post("/api/v1/webhook/git").handler(webhook::handle);
    router
        .route("/api/v1/*")
        .method(io.vertx.core.http.HttpMethod.POST)
        .handler(this::requireAdmin);
    router.route("/api/v1/*").method(io.vertx.core.http.HttpMethod.PUT).handler(this::requireAdmin);
    router
        .route("/api/v1/*")
        .method(io.vertx.core.http.HttpMethod.DELETE)
        .handler(this::requireAdmin);

    router.get("/api/v1/clusters").handler(this::listClusters);
    router.post("/api/v1/clusters").handler(this::addCluster);
    router.delete("/api/v1/clusters/:name").handler(this::removeCluster);
    router.put("/api/v1/clusters/:name").handler(this::updateCluster);
    router.post("/api/v1/clusters/:name/revoke").handler(this::revokeCluster);

    router.get("/api/v1/applications").handler(this::listApplications);
    router.get("/api/v1/applications/:name").handler(this::getApplication);
    router.post("/api/v1/applications/:name/sync").handler(this::syncApplication);
    router.post("/api/v1/applications/:name/refresh").handler(this::refreshApplication);

    router.get("/api/v1/drift").handler(this::listDrift);
    router.get("/api/v1/projects").handler(this::listProjects);
    router.get("/api/v1/projects/:name").handler(this::getProject);
    router.post("/api/v1/projects").handler(this::applyProject);
    router.delete("/api/v1/projects/:name").handler(this::deleteProject);
    router.get("/api/v1/applicationsets").handler(this::listApplicationSets);
    router.get("/api/v1/applicationsets/:name").handler(this::getApplicationSet);
    router.post("/api/v1/applicationsets").handler(this::applyApplicationSet);
    router.put("/api/v1/applicationsets/:name").handler(this::applyApplicationSet);
    router.delete("/api/v1/applicationsets/:name").handler(this::deleteApplicationSet);

    router.errorHandler(
        413, ctx -> error(ctx, 413, "request body is larger than " + MAX_BODY_BYTES + " bytes"));
    router.errorHandler(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().path()));
    router.errorHandler(
        500,
        ctx -> {
          LOG.warn("request {} failed", ctx.request().path(), ctx.failure());
          error(ctx, 500, "internal error");
        });
    return router;
  }

  private void healthz(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "ok"));
  }

  private void readyz(RoutingContext ctx) {
    database
        .ping()
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("status", "ready")))
        .onFailure(e -> error(ctx, 503, "database unreachable: " + e.getMessage()));
  }

  private void requireAdmin(RoutingContext ctx) {
    if (adminToken.accepts(ctx.request().getHeader("Authorization"))) {
      ctx.next();
    } else {
      error(
          ctx,
          401,
          "missing or invalid bearer token (the admin token is in $FLOTILLA_HOME/admin.token)");
    }
  }

  private void listClusters(RoutingContext ctx) {
    clusters
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(c -> items.add(clusterJson(c)));
              json(ctx, 200, new JsonObject().put("items", items));
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

  private void addCluster(RoutingContext ctx) {
    JsonObject body = bodyJson(ctx);
    if (body == null) {
      return;
    }
    String name = body.getString("name", "");
    if (!CLUSTER_NAME.matcher(name).matches()) {
      error(
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
      labels = stringMap(body.getJsonObject("labels", new JsonObject()), "labels");
      annotations = stringMap(body.getJsonObject("annotations", new JsonObject()), "annotations");
    } catch (IllegalArgumentException | ClassCastException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    String token = JoinTokens.newToken();
    clusters
        .insert(name, server, labels, annotations, JoinTokens.hash(token))
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .onSuccess(
            v ->
                json(
                    ctx,
                    201,
                    new JsonObject().put("name", name).put("server", server).put("token", token)))
        .onFailure(
            e -> {
              if (e instanceof ClusterExistsException) {
                error(ctx, 409, e.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  /** Relabelling a cluster regenerates every ApplicationSet: cluster generators select by label. */
  private void updateCluster(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = bodyJson(ctx);
    if (body == null) {
      return;
    }
    Map<String, String> labels;
    Map<String, String> annotations;
    try {
      labels = stringMap(body.getJsonObject("labels", new JsonObject()), "labels");
      annotations = stringMap(body.getJsonObject("annotations", new JsonObject()), "annotations");
    } catch (IllegalArgumentException | ClassCastException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    clusters
        .updateMetadata(name, labels, annotations)
        .onSuccess(
            found -> {
              if (!found) {
                error(ctx, 404, "cluster '" + name + "' not found");
                return;
              }
              controller
                  .reconcileAll()
                  .onComplete(
                      ar ->
                          json(
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
                error(ctx, 404, "cluster '" + name + "' not found");
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
                error(ctx, 404, "cluster '" + name + "' not found");
                return;
              }
              dispatcher.disconnect(name, "token revoked");
              json(ctx, 200, new JsonObject().put("name", name).put("revoked", true));
            })
        .onFailure(ctx::fail);
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
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void getApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applications
        .listViews(name)
        .onSuccess(
            views -> {
              if (views.isEmpty()) {
                error(ctx, 404, "application '" + name + "' not found");
              } else {
                json(ctx, 200, views.get(0).toJson());
              }
            })
        .onFailure(ctx::fail);
  }

  private void syncApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String raw = ctx.body().asString();
    JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : bodyJson(ctx);
    if (body == null) {
      return;
    }
    applications
        .listViews(name)
        .onSuccess(
            views -> {
              if (views.isEmpty()) {
                error(ctx, 404, "application '" + name + "' not found");
                return;
              }
              ApplicationView app = views.get(0);
              if (app.cluster() == null || app.dispatchError() != null) {
                error(
                    ctx,
                    409,
                    "application '" + name + "' cannot be dispatched: " + app.dispatchError());
                return;
              }
              String revision = body.getString("revision", "");
              if (!revision.isEmpty() && app.automated()) {
                // As in Argo CD: automated sync would undo a rollback at once.
                error(
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
                error(ctx, 503, "the agent of cluster '" + app.cluster() + "' is not connected");
                return;
              }
              json(ctx, 202, new JsonObject().put("name", name).put("sync", "requested"));
            })
        .onFailure(ctx::fail);
  }

  private void listProjects(RoutingContext ctx) {
    projects
        .list()
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", new JsonArray(items))))
        .onFailure(ctx::fail);
  }

  private void getProject(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    projects
        .get(name)
        .onSuccess(
            p -> {
              if (p.isEmpty()) {
                error(ctx, 404, "project '" + name + "' not found");
              } else {
                json(ctx, 200, p.get());
              }
            })
        .onFailure(ctx::fail);
  }

  private void applyProject(RoutingContext ctx) {
    JsonObject document;
    try {
      document = AppProjectParser.parse(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    String name = document.getJsonObject("metadata").getString("name");
    projects
        .upsert(name, document)
        // Narrowing a project takes effect everywhere at once: regenerate and re-dispatch.
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .compose(v -> dispatcher.clustersChanged(dispatcher.connectedClusters()))
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("name", name).put("applied", true)))
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
                error(
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
                          error(ctx, 404, "project '" + name + "' not found");
                        }
                      })
                  .mapEmpty();
            })
        .onFailure(ctx::fail);
  }

  private void listDrift(RoutingContext ctx) {
    String application = ctx.queryParams().get("application");
    int limit;
    try {
      limit =
          Integer.parseInt(
              ctx.queryParams().get("limit") == null ? "100" : ctx.queryParams().get("limit"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "limit: must be a number");
      return;
    }
    if (limit < 1 || limit > 1000) {
      error(ctx, 400, "limit: must be between 1 and 1000");
      return;
    }
    drift
        .recent(application, limit)
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", new JsonArray(items))))
        .onFailure(ctx::fail);
  }

  /**
   * Re-resolves Git now and has the agent compare again; applies only what automated sync would.
   */
  private void refreshApplication(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applications
        .listViews(name)
        .onSuccess(
            views -> {
              if (views.isEmpty()) {
                error(ctx, 404, "application '" + name + "' not found");
                return;
              }
              ApplicationView app = views.get(0);
              poller.pollSoon();
              boolean told =
                  app.cluster() != null && dispatcher.requestRefresh(app.cluster(), name);
              json(
                  ctx,
                  202,
                  new JsonObject()
                      .put("name", name)
                      .put("refresh", "requested")
                      .put("agentNotified", told));
            })
        .onFailure(ctx::fail);
  }

  private void listApplicationSets(RoutingContext ctx) {
    applicationSets
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(
                  a -> items.add(new JsonObject().put("name", a.name()).put("status", a.status())));
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void getApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applicationSets
        .get(name)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                error(ctx, 404, "applicationset '" + name + "' not found");
                return;
              }
              json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("name", name)
                      .put("document", found.get().document())
                      .put("status", found.get().status()));
            })
        .onFailure(ctx::fail);
  }

  private void applyApplicationSet(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      error(ctx, 400, "empty body: send an ApplicationSet as YAML or JSON");
      return;
    }
    String pathName = ctx.pathParam("name");
    controller
        .apply(text)
        .onSuccess(
            appSet -> {
              if (pathName != null && !pathName.equals(appSet.name())) {
                error(
                    ctx,
                    400,
                    "metadata.name '"
                        + appSet.name()
                        + "' does not match the URL ('"
                        + pathName
                        + "')");
                return;
              }
              json(ctx, 200, new JsonObject().put("name", appSet.name()).put("applied", true));
            })
        .onFailure(
            e -> {
              if (e instanceof IllegalArgumentException) {
                error(ctx, 400, e.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  private void deleteApplicationSet(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    controller
        .delete(name)
        .onSuccess(
            deleted -> {
              if (deleted) {
                ctx.response().setStatusCode(204).end();
              } else {
                error(ctx, 404, "applicationset '" + name + "' not found");
              }
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject bodyJson(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        error(ctx, 400, "empty body: send a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "body is not a JSON object: " + e.getMessage());
      return null;
    }
  }

  private static Map<String, String> stringMap(JsonObject json, String field) {
    Map<String, String> map = new TreeMap<>();
    json.forEach(
        e -> {
          if (!(e.getValue() instanceof String s)) {
            throw new IllegalArgumentException(field + "." + e.getKey() + ": must be a string");
          }
          map.put(e.getKey(), s);
        });
    return map;
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encodePrettily());
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, status, new JsonObject().put("error", message));
  }
}
