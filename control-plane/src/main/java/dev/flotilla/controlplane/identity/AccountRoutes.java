package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * REST for who is calling ({@code /session}), users, teams, API tokens, the global policy and the
 * audit log. Users and teams need {@code accounts} permissions ({@code users/<name>}, {@code
 * teams/<name>}, {@code policy}); anyone may manage their own tokens; project-role tokens need
 * {@code update} on the project. Every change is audited.
 */
public final class AccountRoutes implements Routes {

  private final UserRepository users;
  private final TeamRepository teams;
  private final TokenRepository tokens;
  private final PolicyRepository policies;
  private final AccessControl access;
  private final Audit audit;

  public AccountRoutes(
      UserRepository users,
      TeamRepository teams,
      TokenRepository tokens,
      PolicyRepository policies,
      AccessControl access,
      Audit audit) {
    this.users = users;
    this.teams = teams;
    this.tokens = tokens;
    this.policies = policies;
    this.access = access;
    this.audit = audit;
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
    router.get("/api/v1/tokens").handler(this::listTokens);
    router.post("/api/v1/tokens").handler(this::createToken);
    router.delete("/api/v1/tokens/:id").handler(this::revokeToken);
    router.get("/api/v1/policy").handler(this::getPolicy);
    router.put("/api/v1/policy").handler(this::putPolicy);
    router.get("/api/v1/audit").handler(this::queryAudit);
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

  // ---- users and teams

  private void listUsers(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    users
        .list()
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.stream()
                  .filter(u -> caller.sees(Resources.ACCOUNTS, "users/" + u.name()))
                  .forEach(
                      u ->
                          items.add(
                              new JsonObject()
                                  .put("name", u.name())
                                  .put("displayName", u.displayName())
                                  .put("createdAt", u.createdAt().toString())));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    String name = text(ctx, body, "name");
    if (name == null) {
      return;
    }
    String displayName;
    try {
      displayName = orEmpty(optionalText(body, "displayName"));
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    change(
        ctx,
        Actions.CREATE,
        "users/" + name,
        () ->
            users
                .create(name, displayName)
                .map(u -> new JsonObject().put("name", u.name()).put("created", true)),
        201);
  }

  private void deleteUser(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    change(
        ctx, Actions.DELETE, "users/" + name, () -> found(users.delete(name), "user", name), 204);
  }

  private void listTeams(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    teams
        .list()
        .compose(
            list -> {
              List<Team> visible =
                  list.stream()
                      .filter(
                          t ->
                              caller.teams().contains(t.name())
                                  || caller.sees(Resources.ACCOUNTS, "teams/" + t.name()))
                      .toList();
              JsonArray items = new JsonArray();
              Future<Void> chain = Future.succeededFuture();
              for (Team t : visible) {
                chain =
                    chain.compose(
                        v ->
                            teams
                                .members(t.name())
                                .map(
                                    members -> {
                                      items.add(
                                          new JsonObject()
                                              .put("name", t.name())
                                              .put("description", t.description())
                                              .put("members", new JsonArray(members)));
                                      return null;
                                    }));
              }
              return chain.map(items);
            })
        .onSuccess(items -> Http.json(ctx, 200, new JsonObject().put("items", items)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private void createTeam(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    String name = text(ctx, body, "name");
    if (name == null) {
      return;
    }
    String description;
    try {
      description = orEmpty(optionalText(body, "description"));
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    change(
        ctx,
        Actions.CREATE,
        "teams/" + name,
        () ->
            teams
                .create(name, description)
                .map(t -> new JsonObject().put("name", t.name()).put("created", true)),
        201);
  }

  private void deleteTeam(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    change(
        ctx,
        Actions.DELETE,
        "teams/" + name,
        () -> found(teams.delete(name), "team", name).onSuccess(v -> access.invalidate()),
        204);
  }

  private void membership(RoutingContext ctx, boolean add) {
    String team = ctx.pathParam("name");
    String user = ctx.pathParam("user");
    change(
        ctx,
        Actions.UPDATE,
        "teams/" + team,
        () ->
            (add
                    ? teams
                        .addMember(team, user)
                        .recover(
                            e ->
                                Future.failedFuture(
                                    e instanceof IllegalArgumentException
                                        ? new ApiException(
                                            ApiException.Kind.NOT_FOUND, e.getMessage())
                                        : e))
                    : teams.removeMember(team, user))
                .map(
                    changed ->
                        new JsonObject()
                            .put("team", team)
                            .put("user", user)
                            .put("member", add)
                            .put("changed", changed)),
        200);
  }

  // ---- tokens

  private void listTokens(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String user = ctx.queryParams().get("user");
    String project = ctx.queryParams().get("project");
    Future<List<ApiToken>> list;
    try {
      if (project != null && user != null) {
        throw ApiException.invalid("user: give either user or project, not both");
      }
      if (project != null) {
        Guard.requireVisible(caller, Resources.PROJECTS, project, "project", project);
        list = tokens.listForProject(project);
      } else {
        String who = user != null ? user : caller.name();
        if (!who.equals(caller.name())) {
          Guard.requireVisible(caller, Resources.ACCOUNTS, "users/" + who, "user", who);
        }
        list = tokens.listForUser(who);
      }
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    list.onSuccess(
            found -> {
              JsonArray items = new JsonArray();
              found.forEach(t -> items.add(tokenJson(t)));
              Http.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  /**
   * {"description": "...", "expiresIn": "720h" | "expiresAt": ISO-8601, and either "user" (default:
   * the caller) or "project" with "role"}. The token is in this answer only.
   */
  private void createToken(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Instant expiresAt;
    String project;
    String role;
    String user;
    String description;
    try {
      expiresAt = expiry(body);
      project = optionalText(body, "project");
      role = optionalText(body, "role");
      user = optionalText(body, "user");
      description = optionalText(body, "description");
      if (project != null && role == null) {
        throw ApiException.invalid("role: is required with project");
      }
      if (project == null && role != null) {
        throw ApiException.invalid("role: only with project (a user token acts as its user)");
      }
      if (project != null && user != null) {
        throw ApiException.invalid("user: give either user or project, not both");
      }
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    JsonObject details =
        new JsonObject().put("expiresAt", expiresAt == null ? null : expiresAt.toString());
    if (caller.subject().isProjectRole()) {
      // A short-lived CI token must not be able to mint a longer-lived one.
      reply(
          ctx,
          audit.record(
              caller,
              Actions.UPDATE,
              project != null ? Resources.PROJECTS : Resources.ACCOUNTS,
              project != null ? project : "users/" + (user == null ? caller.name() : user),
              details,
              () ->
                  Future.failedFuture(
                      ApiException.forbidden("a project-role token cannot create tokens"))));
      return;
    }
    if (project != null) {
      Future<CreatedToken> created =
          audit.record(
              caller,
              Actions.UPDATE,
              Resources.PROJECTS,
              project,
              details.put("token", "proj:" + project + ":" + role),
              () -> {
                Guard.require(
                    caller, Resources.PROJECTS, Actions.UPDATE, project, "project", project);
                return tokens.createForProjectRole(
                    project, role, description == null ? "" : description, expiresAt);
              });
      reply(ctx, created);
      return;
    }
    String who = user != null ? user : caller.name();
    Future<CreatedToken> created =
        audit.record(
            caller,
            Actions.UPDATE,
            Resources.ACCOUNTS,
            "users/" + who,
            details.put("token", "user"),
            () -> {
              if (!who.equals(caller.name())) {
                Guard.require(
                    caller, Resources.ACCOUNTS, Actions.UPDATE, "users/" + who, "user", who);
              }
              return tokens.createForUser(who, description == null ? "" : description, expiresAt);
            });
    reply(ctx, created);
  }

  private void reply(RoutingContext ctx, Future<CreatedToken> created) {
    created
        .onSuccess(
            c ->
                Http.json(
                    ctx,
                    201,
                    tokenJson(c.token())
                        .put("token", c.plaintext())
                        .put("note", "this is the only time the token is shown")))
        .onFailure(e -> Http.fail(ctx, mapped(e)));
  }

  private void revokeToken(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      Http.error(ctx, 400, "id: must be a number, found '" + ctx.pathParam("id") + "'");
      return;
    }
    tokens
        .get(id)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("token", String.valueOf(id)));
              }
              ApiToken t = found.get();
              boolean own = t.user() != null && t.user().equals(caller.name());
              String resource = t.user() != null ? Resources.ACCOUNTS : Resources.PROJECTS;
              String object = t.user() != null ? "users/" + t.user() : t.project();
              return audit.record(
                  caller,
                  Actions.UPDATE,
                  resource,
                  object,
                  new JsonObject().put("revokeToken", id),
                  () -> {
                    if (!own) {
                      Guard.require(
                          caller, resource, Actions.UPDATE, object, "token", String.valueOf(id));
                    }
                    if (t.revoked()) {
                      return Future.failedFuture(
                          new ApiException(
                              ApiException.Kind.PRECONDITION,
                              "token " + id + " is already revoked"));
                    }
                    return tokens.revoke(id);
                  });
            })
        .onSuccess(v -> Http.json(ctx, 200, new JsonObject().put("id", id).put("revoked", true)))
        .onFailure(e -> Http.fail(ctx, e));
  }

  private static JsonObject tokenJson(ApiToken t) {
    JsonObject json =
        new JsonObject()
            .put("id", t.id())
            .put("description", t.description())
            .put("createdAt", t.createdAt().toString())
            .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString())
            .put("revoked", t.revoked())
            .put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
    if (t.user() != null) {
      json.put("user", t.user());
    } else {
      json.put("project", t.project()).put("role", t.role());
    }
    return json;
  }

  private static Instant expiry(JsonObject body) {
    Object in = body.getValue("expiresIn");
    Object at = body.getValue("expiresAt");
    if (in != null && at != null) {
      throw ApiException.invalid("expiresIn: give either expiresIn or expiresAt, not both");
    }
    if (in != null) {
      if (!(in instanceof String s) || !s.matches("[1-9][0-9]{0,6}[smhd]")) {
        throw ApiException.invalid(
            "expiresIn: must be a duration such as 90m, 12h or 30d, found '" + in + "'");
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      Duration d =
          switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return Instant.now().plus(d);
    }
    if (at != null) {
      try {
        return Instant.parse(String.valueOf(at));
      } catch (DateTimeParseException e) {
        throw ApiException.invalid(
            "expiresAt: must be an ISO-8601 instant such as 2027-01-31T00:00:00Z, found '"
                + at
                + "'");
      }
    }
    return null;
  }

  // ---- policy and audit

  private void getPolicy(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    if (!caller.sees(Resources.ACCOUNTS, "policy")) {
      Http.fail(ctx, ApiException.hidden("policy", "global"));
      return;
    }
    policies
        .get()
        .onSuccess(
            p ->
                Http.json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("policy", p.text())
                        .put("defaultRole", p.defaultRole())
                        .put("updatedAt", p.updatedAt().toString())
                        .put("updatedBy", p.updatedBy())))
        .onFailure(e -> Http.fail(ctx, e));
  }

  /** {"policy": "p, ...\ng, ...", "defaultRole": "role:readonly"} (defaultRole optional). */
  private void putPolicy(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    String text;
    String defaultRole;
    try {
      text = optionalText(body, "policy");
      defaultRole = optionalText(body, "defaultRole");
      if (text == null) {
        throw ApiException.invalid("policy: is required (the whole policy, one line per rule)");
      }
      ApiException.requireSize("policy", text);
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    change(
        ctx,
        Actions.UPDATE,
        "policy",
        () -> {
          Guard.require(caller, Resources.ACCOUNTS, Actions.UPDATE, "policy", "policy", "global");
          return policies
              .put(text, defaultRole, caller.name())
              .onSuccess(p -> access.invalidate())
              .map(p -> new JsonObject().put("updated", true).put("defaultRole", p.defaultRole()));
        },
        200);
  }

  /**
   * Newest first; {@code actor}, {@code kind}, {@code object}, {@code since}, {@code until}, {@code
   * limit}, {@code pageToken}. Only entries about objects the caller may see are returned; {@code
   * nextPageToken} continues after the last entry looked at, empty when the log ran out.
   */
  private void queryAudit(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    var q = ctx.queryParams();
    AuditQuery query;
    int limit;
    try {
      limit = q.get("limit") == null ? AuditQuery.DEFAULT_LIMIT : Integer.parseInt(q.get("limit"));
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw new NumberFormatException();
      }
      query =
          new AuditQuery(
              q.get("actor"),
              q.get("kind"),
              q.get("object"),
              instant(q.get("since"), "since"),
              instant(q.get("until"), "until"),
              AuditQuery.MAX_LIMIT,
              KeysetToken.decode(q.get("pageToken"), "pageToken"));
    } catch (NumberFormatException e) {
      Http.error(ctx, 400, "limit: must be a number between 1 and " + AuditQuery.MAX_LIMIT);
      return;
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    List<AuditRecord> found = new ArrayList<>();
    collectVisible(caller, query, limit, found, 0)
        .onSuccess(
            next -> {
              JsonArray items = new JsonArray();
              found.forEach(
                  r ->
                      items.add(
                          new JsonObject()
                              .put("id", r.id())
                              .put("at", r.at().toString())
                              .put("actor", r.actor())
                              .put("action", r.action())
                              .put("kind", r.objectKind())
                              .put("object", r.objectName())
                              .put("result", r.result().column())
                              .put("details", r.details())));
              Http.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("items", items)
                      .put("nextPageToken", next == null ? "" : next.encode()));
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  /**
   * Reads the log newest first in batches until {@code limit} entries the caller may see are found
   * or the log (or the batch budget, which bounds the work one request can cause) runs out. Batches
   * continue after the (at, id) key of the last line read, so lines sharing a timestamp are never
   * skipped. Yields the key to continue from, or null when the log ran out.
   */
  private Future<KeysetToken> collectVisible(
      Caller caller, AuditQuery query, int limit, List<AuditRecord> found, int batches) {
    return audit
        .log()
        .query(query)
        .compose(
            records -> {
              KeysetToken last = null;
              for (AuditRecord r : records) {
                if (found.size() >= limit) {
                  break;
                }
                last = new KeysetToken(r.at().toInstant(), r.id());
                if (visible(caller, r)) {
                  found.add(r);
                }
              }
              if (records.size() < query.limit() && found.size() < limit) {
                return Future.succeededFuture(null);
              }
              if (found.size() >= limit || batches >= 20) {
                // A last page that exactly fills the limit still answers a token; the next page is
                // then empty, which saves looking ahead.
                return Future.succeededFuture(last);
              }
              return collectVisible(caller, query.after(last), limit, found, batches + 1);
            });
  }

  /**
   * An entry is shown to whoever may see its object. Not simply to its actor: an entry about a
   * refused attempt on a hidden object names that object's project, which the actor must not learn.
   */
  private static boolean visible(Caller caller, AuditRecord r) {
    return caller.sees(r.objectKind(), r.objectName())
        || (Resources.ACCOUNTS.equals(r.objectKind())
            && r.objectName().equals("users/" + caller.name()));
  }

  private static Instant instant(String value, String field) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          field + ": must be an ISO-8601 instant such as 2026-11-22T00:00:00Z");
    }
  }

  // ---- helpers

  /** Audits and runs a change to an {@code accounts} object, answering {@code status}. */
  private void change(
      RoutingContext ctx,
      String action,
      String object,
      Supplier<Future<JsonObject>> work,
      int status) {
    Caller caller = Callers.of(ctx);
    audit
        .record(
            caller,
            action,
            Resources.ACCOUNTS,
            object,
            null,
            () -> {
              Guard.requireAllowed(caller, Resources.ACCOUNTS, action, object);
              return work.get();
            })
        .onSuccess(
            json -> {
              if (status == 204) {
                ctx.response().setStatusCode(204).end();
              } else {
                Http.json(ctx, status, json);
              }
            })
        .onFailure(e -> Http.fail(ctx, mapped(e)));
  }

  private static Future<JsonObject> found(Future<Boolean> deleted, String what, String name) {
    return deleted.compose(
        d ->
            d
                ? Future.succeededFuture(new JsonObject())
                : Future.failedFuture(ApiException.notFound(what, name)));
  }

  private static Throwable mapped(Throwable e) {
    return e instanceof IdentityConflictException
        ? new ApiException(ApiException.Kind.EXISTS, e.getMessage())
        : e;
  }

  private static String text(RoutingContext ctx, JsonObject body, String field) {
    try {
      String value = optionalText(body, field);
      if (value == null || value.isBlank()) {
        throw ApiException.invalid(field + ": is required");
      }
      return value;
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return null;
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw ApiException.invalid(field + ": must be a string");
    }
    return s;
  }
}
