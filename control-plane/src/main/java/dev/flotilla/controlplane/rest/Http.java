package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON answers and request parsing shared by every REST endpoint: errors are always {"error":
 * "..."}.
 */
public final class Http {

  private Http() {}

  public static JsonObject bodyJson(RoutingContext ctx) {
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

  /**
   * The string field of a request body, {@code fallback} when absent.
   *
   * @throws ApiException INVALID naming the field when it holds something else
   */
  public static String string(JsonObject body, String field, String fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw ApiException.invalid(field + ": must be a string");
    }
    return s;
  }

  /** The object field of a request body as a string map ({@code {}} when absent), checked. */
  public static Map<String, String> stringMapField(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new TreeMap<>();
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.invalid(field + ": must be an object of strings");
    }
    return stringMap(object, field);
  }

  public static Map<String, String> stringMap(JsonObject json, String field) {
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

  /** A list answer: {@code items} and, unless this is the last page, {@code nextPageToken}. */
  public static JsonObject page(JsonArray items, String nextPageToken) {
    JsonObject json = new JsonObject().put("items", items);
    if (nextPageToken != null && !nextPageToken.isEmpty()) {
      json.put("nextPageToken", nextPageToken);
    }
    return json;
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encodePrettily());
  }

  public static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, status, new JsonObject().put("error", message));
  }

  /**
   * Answers a failed request: an {@link ApiException} with its status, bad input with 400, anything
   * else as an internal error (logged by the router's 500 handler).
   */
  public static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof ApiException api) {
      int status =
          switch (api.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case EXISTS, PRECONDITION -> 409;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case TOO_LARGE -> 413;
          };
      error(ctx, status, api.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      error(ctx, 400, e.getMessage());
    } else {
      ctx.fail(e);
    }
  }
}
