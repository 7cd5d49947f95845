package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * JSON answers and request parsing shared by every REST endpoint: errors are always {"error":
 * "..."}. A handler parses, refuses and replies through {@link #reply} (or {@link #respond}), the
 * REST twin of {@code GrpcErrors.replyChecked}, so every feature maps the same mistake to the same
 * status.
 */
public final class Http {

  private Http() {}

  /**
   * The request body as a JSON object, parsed (on a worker) by {@link RequestBodies}; answers 400
   * and returns null when there is none or it is something else.
   */
  public static JsonObject bodyJson(RoutingContext ctx) {
    try {
      return body(ctx);
    } catch (ApiException e) {
      error(ctx, 400, e.getMessage());
      return null;
    }
  }

  /**
   * The request body as a JSON object, parsed (on a worker) by {@link RequestBodies}.
   *
   * @throws ApiException INVALID when there is none or it is something else (answered 400 by {@link
   *     #reply})
   */
  public static JsonObject body(RoutingContext ctx) {
    Object body = RequestBodies.parsed(ctx);
    if (body == null) {
      throw ApiException.invalid("empty body: send a JSON object");
    }
    if (!(body instanceof JsonObject object)) {
      throw ApiException.invalid("body is not a JSON object");
    }
    return object;
  }

  /** As {@link #body}, {@code {}} when the request had none (optional bodies). */
  public static JsonObject optionalBody(RoutingContext ctx) {
    return RequestBodies.present(ctx) ? body(ctx) : new JsonObject();
  }

  /**
   * Answers a request the one way every REST handler does: {@code call} reads and checks the
   * request (a bad parameter or body throws, answered 400 naming it) and starts the work; its
   * result is answered with {@code status} and the JSON {@code toJson} makes of it, a refusal with
   * the status its kind maps to (see {@link #fail}).
   */
  public static <T> void reply(
      RoutingContext ctx, int status, Supplier<Future<T>> call, Function<T, JsonObject> toJson) {
    respond(ctx, call, result -> json(ctx, status, toJson.apply(result)));
  }

  /** As {@link #reply}, answering 204 No Content. */
  public static <T> void replyNoContent(RoutingContext ctx, Supplier<Future<T>> call) {
    respond(ctx, call, result -> ctx.response().setStatusCode(204).end());
  }

  /**
   * As {@link #reply}, for answers that are not one JSON object (CSV, extra headers): {@code
   * answer} writes the response from the result. Nothing is written to a response already ended
   * (the client went away, or a refusal was answered).
   */
  public static <T> void respond(RoutingContext ctx, Supplier<Future<T>> call, Consumer<T> answer) {
    Future<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      fail(ctx, e);
      return;
    }
    future.onComplete(
        ar -> {
          if (ar.failed()) {
            fail(ctx, ar.cause());
            return;
          }
          if (ctx.response().ended()) {
            return;
          }
          try {
            answer.accept(ar.result());
          } catch (RuntimeException e) {
            fail(ctx, e);
          }
        });
  }

  /** The body as a JSON object, {@code {}} when the request had none (optional bodies). */
  public static JsonObject optionalBodyJson(RoutingContext ctx) {
    return RequestBodies.present(ctx) ? bodyJson(ctx) : new JsonObject();
  }

  /**
   * {@code text} with control characters (C0, DEL, C1: ESC among them) shown as escapes such as
   * {@code \\u001b}, so that an error message echoing input cannot drive a terminal or forge a log
   * line.
   */
  public static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
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
    if (!ctx.request().isEnded()) {
      // Refused before its body was read (401, 413, 415): let the rest of the body flow in and be
      // dropped (no handler keeps it), so the client can read the answer; nothing is stored.
      ctx.request().resume();
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
