package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * REST for API tokens over {@link TokenService}; a token's secret is in the creation answer only.
 */
public final class TokenRoutes implements Routes {

  private final TokenService tokens;
  private final Clock clock;

  public TokenRoutes(TokenService tokens, Clock clock) {
    this.clock = clock;
    this.tokens = tokens;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/tokens").handler(this::listTokens);
    router.post("/api/v1/tokens").handler(this::createToken);
    router.delete("/api/v1/tokens/:id").handler(this::revokeToken);
  }

  private void listTokens(RoutingContext ctx) {
    AccountRoutes.reply(
        ctx,
        tokens.list(
            Callers.of(ctx),
            ctx.queryParams().get("user"),
            ctx.queryParams().get("project"),
            PageRequest.ALL),
        page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(t -> items.add(tokenJson(t)));
          return new JsonObject().put("items", items);
        },
        200);
  }

  /**
   * {"description": "...", "expiresIn": "720h" | "expiresAt": ISO-8601, and either "user" (default:
   * the caller) or "project" with "role"}. The token is in this answer only.
   */
  private void createToken(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    TokenRequest request;
    try {
      // Checked in this order, as always: the first bad field is the one reported.
      Instant expiresAt = expiry(body);
      String project = Http.string(body, "project", null);
      String role = Http.string(body, "role", null);
      String user = Http.string(body, "user", null);
      request =
          new TokenRequest(user, project, role, Http.string(body, "description", null), expiresAt);
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    AccountRoutes.reply(
        ctx,
        tokens.create(Callers.of(ctx), request),
        c ->
            tokenJson(c.token())
                .put("token", c.plaintext())
                .put("note", "this is the only time the token is shown"),
        201);
  }

  private void revokeToken(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      Http.error(ctx, 400, "id: must be a number, found '" + ctx.pathParam("id") + "'");
      return;
    }
    Future<Void> revoked = tokens.revoke(Callers.of(ctx), id);
    AccountRoutes.reply(
        ctx, revoked, v -> new JsonObject().put("id", id).put("revoked", true), 200);
  }

  static JsonObject tokenJson(ApiToken t) {
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

  private Instant expiry(JsonObject body) {
    Object in = body.getValue("expiresIn");
    Object at = body.getValue("expiresAt");
    if (in != null && at != null) {
      throw ApiException.invalid("expiresIn: give either expiresIn or expiresAt, not both");
    }
    if (in != null) {
      return TokenExpiry.after(clock.instant(), in, "expiresIn");
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
}
