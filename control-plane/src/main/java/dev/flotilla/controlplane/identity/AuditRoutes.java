package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** REST for the audit log over {@link AuditService}. */
public final class AuditRoutes implements Routes {

  private final AuditService audit;

  public AuditRoutes(AuditService audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/audit").handler(this::queryAudit);
  }

  /**
   * Newest first; {@code actor}, {@code kind}, {@code object}, {@code since}, {@code until}, {@code
   * limit}, {@code pageToken}. Only entries about objects the caller may see are returned; {@code
   * nextPageToken} continues after the last entry looked at, empty when the log ran out.
   */
  private void queryAudit(RoutingContext ctx) {
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
    AccountRoutes.reply(
        ctx,
        audit.list(Callers.of(ctx), query, limit),
        page -> {
          JsonArray items = new JsonArray();
          page.entries()
              .forEach(
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
          return new JsonObject().put("items", items).put("nextPageToken", page.nextPageToken());
        },
        200);
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
}
