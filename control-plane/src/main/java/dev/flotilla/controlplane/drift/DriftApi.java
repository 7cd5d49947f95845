package dev.flotilla.controlplane.drift;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/drift/report}: the fleet-wide drift report as JSON or CSV.
 *
 * <p>Query parameters: {@code format} (json|csv), {@code cluster}, {@code project}, {@code
 * application}, {@code healed} (true|false), {@code since} (RFC 3339 time), {@code limit} (1–1000,
 * default 100), {@code offset}. Anything else, a repeated parameter or a bad value is refused with
 * 400 and {@code {"error": "<parameter>: ..."}}, so a typo never silently widens the report.
 */
public final class DriftApi {

  public static final String PATH = "/api/v1/drift/report";

  private static final Set<String> PARAMETERS =
      Set.of("format", "cluster", "project", "application", "healed", "since", "limit", "offset");

  /** Longest name accepted: a Kubernetes object name (DNS subdomain) is at most 253. */
  private static final int MAX_NAME = 253;

  private final DriftRepository drift;
  private final DriftScope scope;

  public DriftApi(DriftRepository drift, DriftScope scope) {
    this.drift = drift;
    this.scope = scope;
  }

  /** Unscoped: every project is visible. */
  public DriftApi(DriftRepository drift) {
    this(drift, DriftScope.EVERYTHING);
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::report);
  }

  private void report(RoutingContext ctx) {
    Request request;
    try {
      request = parse(ctx.queryParams());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    scope
        .visibleProjects(ctx)
        .compose(
            visible ->
                scope.teams(ctx).compose(teams -> drift.report(request.query(), visible, teams)))
        .onSuccess(report -> respond(ctx, request.csv(), report))
        .onFailure(ctx::fail);
  }

  private static void respond(RoutingContext ctx, boolean csv, DriftReport report) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(200).putHeader("X-Total-Count", Long.toString(report.total()));
    if (csv) {
      ctx.response()
          .putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
          .putHeader("Content-Disposition", "attachment; filename=\"drift-report.csv\"")
          .end(DriftCsv.render(report));
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(DriftJson.render(report));
    }
  }

  record Request(DriftQuery query, boolean csv) {}

  /** Validates the query string; messages start with the parameter's name. */
  static Request parse(MultiMap params) {
    for (String name : params.names()) {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(
            printable(name) + ": unknown parameter; known: " + String.join(", ", sorted()));
      }
      if (params.getAll(name).size() > 1) {
        throw new IllegalArgumentException(name + ": given more than once");
      }
    }
    String format = params.get("format");
    boolean csv;
    if (format == null || format.equals("json")) {
      csv = false;
    } else if (format.equals("csv")) {
      csv = true;
    } else {
      throw new IllegalArgumentException("format: must be json or csv");
    }
    int limit = integer(params, "limit", DriftQuery.DEFAULT_LIMIT, 1, DriftQuery.MAX_LIMIT);
    int offset = integer(params, "offset", 0, 0, DriftQuery.MAX_OFFSET);
    DriftQuery query =
        new DriftQuery(
            name(params, "cluster"),
            name(params, "project"),
            name(params, "application"),
            healed(params.get("healed")),
            since(params.get("since")),
            limit,
            offset);
    return new Request(query, csv);
  }

  private static List<String> sorted() {
    return PARAMETERS.stream().sorted().toList();
  }

  private static String name(MultiMap params, String param) {
    String value = params.get(param);
    if (value == null) {
      return null;
    }
    if (value.isEmpty() || value.length() > MAX_NAME) {
      throw new IllegalArgumentException(param + ": must be 1 to " + MAX_NAME + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(param + ": must not contain control characters");
    }
    return value;
  }

  private static Boolean healed(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("healed: must be true or false");
    };
  }

  private static Instant since(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since: must be an RFC 3339 time such as 2026-11-22T10:00:00Z");
    }
  }

  private static int integer(MultiMap params, String param, int fallback, int min, int max) {
    String value = params.get(param);
    if (value == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(param + ": must be a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(param + ": must be between " + min + " and " + max);
    }
    return n;
  }

  /** Echoes an unknown parameter name back without letting it carry markup or control bytes. */
  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("[^A-Za-z0-9_.\\-]", "?");
  }

  private static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
