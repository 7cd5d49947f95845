package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * REST for who is calling ({@code /session}), users and teams, over {@link UserService} and {@link
 * TeamService} (which check permissions and audit). Lists are not paged here: REST answers them
 * whole, as it always has.
 */
public final class AccountRoutes implements Routes {

  private final UserService users;
  private final TeamService teams;

  public AccountRoutes(UserService users, TeamService teams) {
    this.users = users;
    this.teams = teams;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/session").handler(this::session);
    router.get("/api/v1/users").handler(this::listUsers);
    router.post("/api/v1/users").handler(this::createUser);
    router.delete("/api/v1/users/:name").handler(this::deleteUser);
    router.get("/api/v1/teams").handler(this::listTeams);
    router.post("/api/v1/teams").handler(this::createTeam);
    router.delete("/api/v1/teams/:name").handler(this::deleteTeam);
    router.put("/api/v1/teams/:name/members/:user").handler(ctx -> membership(ctx, true));
    router.delete("/api/v1/teams/:name/members/:user").handler(ctx -> membership(ctx, false));
  }

  private void session(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    JsonObject json =
        new JsonObject()
            .put("name", caller.name())
            .put("teams", new JsonArray(List.copyOf(caller.teams())))
            .put("roles", new JsonArray(List.copyOf(caller.roles())));
    caller
        .subject()
        .projectRole()
        .ifPresent(
            r ->
                json.put(
                    "projectRole",
                    new JsonObject().put("project", r.project()).put("role", r.role())));
    Http.json(ctx, 200, json);
  }

  private void listUsers(RoutingContext ctx) {
    reply(
        ctx,
        users.list(Callers.of(ctx), PageRequest.ALL),
        page -> {
          JsonArray items = new JsonArray();
          page.items()
              .forEach(
                  u ->
                      items.add(
                          new JsonObject()
                              .put("name", u.name())
                              .put("displayName", u.displayName())
                              .put("createdAt", u.createdAt().toString())));
          return new JsonObject().put("items", items);
        },
        200);
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Future<User> created;
    try {
      created =
          users.create(
              Callers.of(ctx),
              AccountChanges.required("name", Http.string(body, "name", null)),
              Http.string(body, "displayName", ""));
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    reply(ctx, created, u -> new JsonObject().put("name", u.name()).put("created", true), 201);
  }

  private void deleteUser(RoutingContext ctx) {
    reply(ctx, users.delete(Callers.of(ctx), ctx.pathParam("name")), v -> null, 204);
  }

  private void listTeams(RoutingContext ctx) {
    reply(
        ctx,
        teams.list(Callers.of(ctx), PageRequest.ALL),
        page -> {
          JsonArray items = new JsonArray();
          page.items()
              .forEach(
                  t ->
                      items.add(
                          new JsonObject()
                              .put("name", t.team().name())
                              .put("description", t.team().description())
                              .put("members", new JsonArray(t.members()))));
          return new JsonObject().put("items", items);
        },
        200);
  }

  private void createTeam(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Future<Team> created;
    try {
      created =
          teams.create(
              Callers.of(ctx),
              AccountChanges.required("name", Http.string(body, "name", null)),
              Http.string(body, "description", ""));
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    reply(ctx, created, t -> new JsonObject().put("name", t.name()).put("created", true), 201);
  }

  private void deleteTeam(RoutingContext ctx) {
    reply(ctx, teams.delete(Callers.of(ctx), ctx.pathParam("name")), v -> null, 204);
  }

  private void membership(RoutingContext ctx, boolean add) {
    String team = ctx.pathParam("name");
    String user = ctx.pathParam("user");
    reply(
        ctx,
        teams.setMember(Callers.of(ctx), team, user, add),
        changed ->
            new JsonObject()
                .put("team", team)
                .put("user", user)
                .put("member", add)
                .put("changed", changed),
        200);
  }

  /** Answers {@code status} with {@code json} of the result (no body for 204), or the failure. */
  static <T> void reply(
      RoutingContext ctx, Future<T> result, Function<T, JsonObject> json, int status) {
    result
        .onSuccess(
            value -> {
              if (status == 204) {
                ctx.response().setStatusCode(204).end();
              } else {
                Http.json(ctx, status, json.apply(value));
              }
            })
        .onFailure(e -> Http.fail(ctx, e));
  }
}
