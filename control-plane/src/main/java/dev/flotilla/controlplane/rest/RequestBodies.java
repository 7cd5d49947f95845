package dev.flotilla.controlplane.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parses every request body once, on a worker and never on an event loop, through the bounded YAML
 * loader (or a bounded JSON reader), and refuses text Postgres cannot store (NUL) naming the field.
 * Handlers then read the parsed tree with {@link #parsed(RoutingContext)}.
 *
 * <p>Parsing off the event loop matters because a body within the byte limit can still cost a lot
 * to parse (aliases, deep nesting): on a worker it slows one request, on the event loop it would
 * stop every request, {@code /healthz} included.
 */
public final class RequestBodies {

  static final String POOL = "rest-bodies";
  private static final String PARSED = "flotilla.parsedBody";

  /** JSON nests no deeper than the YAML loader allows, so both read the same documents. */
  private static final ObjectMapper JSON = boundedJson();

  /** YAML through the one bounded loader, with the body limit as its size limit. */
  private static final BoundedYaml YAML = new BoundedYaml((int) RestApi.MAX_BODY_BYTES);

  private final WorkerExecutor workers;

  RequestBodies(Vertx vertx) {
    // Small and named: parsing is short, and a flood of bodies queues here, not on the event loop.
    this.workers = vertx.createSharedWorkerExecutor(POOL, 2, 1, TimeUnit.MINUTES);
  }

  private static ObjectMapper boundedJson() {
    ObjectMapper mapper = new ObjectMapper();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(BoundedYaml.MAX_NESTING_DEPTH).build());
    return mapper;
  }

  /** Route handler: parses a non-empty body on a worker, then passes the request on. */
  void parse(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      ctx.next();
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    workers
        .executeBlocking(() -> read(body, contentType), false)
        .onSuccess(
            tree -> {
              ctx.put(PARSED, tree);
              ctx.next();
            })
        .onFailure(e -> Http.fail(ctx, e));
  }

  /**
   * The body as parsed: a {@link JsonObject}, a {@link JsonArray}, a scalar, or null when the
   * request had no body (or an empty document).
   */
  public static Object parsed(RoutingContext ctx) {
    return ctx.get(PARSED);
  }

  /** Whether the request carried a body that is not only blanks. */
  public static boolean present(RoutingContext ctx) {
    return parsed(ctx) != null;
  }

  /**
   * Reads a body as JSON when it says so (by content type or first character), else as YAML, both
   * bounded; then checks every key and string for NUL.
   *
   * @throws ApiException INVALID naming what is wrong
   */
  static Object read(Buffer body, String contentType) {
    String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    boolean json =
        contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")
            || trimmed.startsWith("{")
            || trimmed.startsWith("[");
    JsonNode tree;
    if (json) {
      try {
        tree = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
          throw ApiException.invalid("body is not a JSON object: " + e.getOriginalMessage());
        }
        // JSON-looking YAML (a flow mapping) is still YAML; when it is neither, the JSON error is
        // the one that helps.
        try {
          tree = YAML.read(text);
        } catch (YamlException yamlError) {
          throw ApiException.invalid(
              "body is not a JSON object or YAML document: " + e.getOriginalMessage());
        }
      }
    } else {
      tree = readYaml(text);
    }
    requireNoNul(tree, "");
    return toVertx(tree);
  }

  private static JsonNode readYaml(String text) {
    try {
      return YAML.read(text);
    } catch (YamlException e) {
      throw ApiException.invalid("body is not valid YAML or JSON: " + e.getMessage());
    }
  }

  /** Postgres refuses NUL in text; say which field holds one instead of failing with a 500. */
  static void requireNoNul(JsonNode node, String path) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      requireNoNul(path.isEmpty() ? "body" : path, node.textValue());
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        requireNoNul(at, field.getKey());
        requireNoNul(field.getValue(), at);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireNoNul(node.get(i), path + "[" + i + "]");
      }
    }
  }

  /**
   * @throws ApiException INVALID naming {@code field} when {@code value} holds a NUL character
   */
  public static void requireNoNul(String field, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw ApiException.invalid(
          Http.printable(field) + ": contains a NUL character (\\u0000), which is not allowed");
    }
  }

  private static Object toVertx(JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return null;
    }
    Object value = JSON.convertValue(tree, Object.class);
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) map;
      return new JsonObject(object);
    }
    if (value instanceof java.util.List<?> list) {
      return new JsonArray(new java.util.ArrayList<>(list));
    }
    return value;
  }
}
