package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The drift REST endpoints, scoped to what the caller may see (drift of Applications it may {@code
 * get}; the rest is absent from items and totals alike).
 *
 * <p>{@code GET /api/v1/drift} (alias {@code /api/v1/drift/report}): the fleet-wide drift report,
 * JSON by default, CSV with {@code format=csv} or {@code Accept: text/csv} (the parameter wins).
 * Query parameters: {@code format} (json|csv), {@code cluster}, {@code project}, {@code
 * application}, {@code kind}, {@code healed} (true|false), {@code since} (RFC 3339 time), {@code
 * limit} (1–1000, default 100), {@code pageToken} (the {@code nextPageToken} of the previous page;
 * pages then continue after its last object however many objects drifted meanwhile), or for
 * existing callers {@code offset}, used only without a pageToken.
 *
 * <p>{@code GET /api/v1/drift/events}: the raw drift events, newest first; parameters {@code
 * application}, {@code limit} (1–1000, default 100) and {@code pageToken}, answering {@code
 * nextPageToken} like the report.
 *
 * <p>Anything else, a repeated parameter or a bad value is refused with 400 and {@code {"error":
 * "<parameter>: ..."}}, so a typo never silently widens the answer.
 */
public final class DriftRoutes implements Routes {

  public static final String PATH = "/api/v1/drift";
  public static final String REPORT_ALIAS = "/api/v1/drift/report";
  public static final String EVENTS_PATH = "/api/v1/drift/events";

  private static final Set<String> PARAMETERS =
      Set.of(
          "format",
          "cluster",
          "project",
          "application",
          "kind",
          "healed",
          "since",
          "limit",
          "offset",
          "pageToken");

  private static final Set<String> EVENT_PARAMETERS = Set.of("application", "limit", "pageToken");

  private final DriftService drift;

  public DriftRoutes(DriftService drift) {
    this.drift = drift;
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(this::report);
    router.get(REPORT_ALIAS).handler(this::report);
    router.get(EVENTS_PATH).handler(this::events);
  }

  private void report(RoutingContext ctx) {
    Http.respond(
        ctx,
        () -> {
          Request request = parse(ctx.queryParams(), ctx.request().getHeader("Accept"));
          return drift
              .report(Callers.of(ctx), request.query())
              .map(report -> new Answer(request.csv(), report));
        },
        answer -> respond(ctx, answer.csv(), answer.report()));
  }

  private void events(RoutingContext ctx) {
    Http.reply(
        ctx,
        200,
        () -> {
          MultiMap params = ctx.queryParams();
          known(params, EVENT_PARAMETERS);
          String application = name(params, "application");
          int limit = integer(params, "limit", DriftQuery.DEFAULT_LIMIT, 1, DriftQuery.MAX_LIMIT);
          KeysetToken after = pageToken(params.get("pageToken"));
          return drift.recent(Callers.of(ctx), application, limit, after);
        },
        page ->
            new JsonObject()
                .put("items", new JsonArray(page.items()))
                .put("nextPageToken", page.nextPageToken()));
  }

  private static void respond(RoutingContext ctx, boolean csv, DriftReport report) {
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

  /** A report and the format it was asked in. */
  private record Answer(boolean csv, DriftReport report) {}

  /**
   * Validates the query string; messages start with the parameter's name.
   *
   * @param accept the Accept header, consulted only when there is no {@code format} parameter
   */
  static Request parse(MultiMap params, String accept) {
    known(params, PARAMETERS);
    String format = params.get("format");
    boolean csv;
    if (format == null) {
      csv = acceptsOnlyCsv(accept);
    } else if (format.equals("json")) {
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
            name(params, "kind"),
            healed(params.get("healed")),
            since(params.get("since")),
            limit,
            offset,
            pageToken(params.get("pageToken")));
    return new Request(query, csv);
  }

  /**
   * CSV when the client names text/csv and not JSON: a browser's {@code *}{@code /*} or a client
   * that lists both gets the default, JSON.
   */
  static boolean acceptsOnlyCsv(String accept) {
    if (accept == null) {
      return false;
    }
    boolean csv = false;
    for (String range : accept.split(",")) {
      String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (type.equals("text/csv")) {
        csv = true;
      } else if (type.equals("application/json")) {
        return false;
      }
    }
    return csv;
  }

  private static void known(MultiMap params, Set<String> known) {
    for (String name : params.names()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            printable(name)
                + ": unknown parameter; known: "
                + String.join(", ", known.stream().sorted().toList()));
      }
      if (params.getAll(name).size() > 1) {
        throw new IllegalArgumentException(name + ": given more than once");
      }
    }
  }

  private static KeysetToken pageToken(String value) {
    try {
      return KeysetToken.decode(value, "pageToken");
    } catch (ApiException e) {
      // This class reports bad parameters as IllegalArgumentException, as for every other one.
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String name(MultiMap params, String param) {
    String value = params.get(param);
    return value == null ? null : DriftQuery.requireName(param, value);
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
}
