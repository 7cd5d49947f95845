package dev.flotilla.controlplane.repository;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;

/**
 * REST for repository credentials, as Argo CD's {@code /api/v1/repositories} (the URL
 * percent-encoded in the path): list, get, add or replace, remove. Templates (Argo CD's {@code
 * repocreds}) share the collection, told apart by {@code template}. Responses never hold a secret.
 */
public final class RepositoryRoutes implements Routes {

  private final RepositoryService repositories;

  public RepositoryRoutes(RepositoryService repositories) {
    this.repositories = repositories;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/repositories").handler(this::list);
    router.get("/api/v1/repositories/:url").handler(this::get);
    router.post("/api/v1/repositories").handler(this::add);
    router.delete("/api/v1/repositories/:url").handler(this::remove);
  }

  private void list(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> repositories.list(Callers.of(ctx)),
        all -> {
          JsonArray items = new JsonArray();
          all.forEach(r -> items.add(json(r)));
          return Http.page(items, null);
        });
  }

  private void get(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> repositories.get(Callers.of(ctx), ctx.pathParam("url")),
        RepositoryRoutes::json);
  }

  private void add(RoutingContext ctx) {
    Http.reply(
        ctx,
        201,
        () -> {
          JsonObject body = Http.body(ctx);
          return repositories.add(
              Callers.of(ctx),
              new RepositoryRequest(
                  Http.string(body, "url", null),
                  flag(body, "template"),
                  Http.string(body, "username", null),
                  Http.string(body, "password", null),
                  Http.string(body, "sshPrivateKey", null),
                  flag(body, "insecureIgnoreHostKey")));
        },
        RepositoryRoutes::json);
  }

  private static boolean flag(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw dev.flotilla.controlplane.ApiException.invalid(field + ": must be true or false");
    }
    return Boolean.TRUE.equals(value);
  }

  /** {@code ?template=true} removes only a template, {@code false} only a repository. */
  private void remove(RoutingContext ctx) {
    Http.replyNoContent(
        ctx,
        () -> {
          String kind = ctx.queryParams().get("template");
          if (kind != null && !kind.equals("true") && !kind.equals("false")) {
            throw dev.flotilla.controlplane.ApiException.invalid("template: must be true or false");
          }
          return repositories.remove(
              Callers.of(ctx), ctx.pathParam("url"), kind == null ? null : Boolean.valueOf(kind));
        });
  }

  static JsonObject json(RepositoryCredential r) {
    return new JsonObject()
        .put("url", r.url())
        .put("template", r.template())
        .put("type", r.type())
        .put("username", r.username())
        .put("hasPassword", r.hasPassword())
        .put("hasSshPrivateKey", r.hasSshPrivateKey())
        .put("insecureIgnoreHostKey", r.insecureIgnoreHostKey())
        .put("createdAt", text(r.createdAt()))
        .put(
            "connectionState",
            new JsonObject()
                .put("lastSuccessAt", text(r.lastSuccessAt()))
                .put("lastError", r.lastError())
                .put("lastErrorAt", text(r.lastErrorAt())));
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }
}
