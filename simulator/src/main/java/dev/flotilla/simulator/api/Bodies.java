package dev.flotilla.simulator.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Locale;

/** Reading request bodies: JSON, or YAML when the Content-Type says so. */
final class Bodies {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Bodies() {}

  /** The media type without parameters, lower case; JSON when absent. */
  static String mediaType(HttpServerRequest req) {
    String ct = req.getHeader("Content-Type");
    if (ct == null || ct.isBlank()) {
      return "application/json";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static ObjectNode object(Call call) {
    byte[] body = call.body();
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request needs a body: the object to write");
    }
    String type = mediaType(call.req());
    if (type.contains("protobuf")) {
      return ProtobufBodies.decode(body);
    }
    JsonNode node;
    try {
      node = (type.contains("yaml") ? YAML : Replies.JSON).readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest(
          "the request body is not valid "
              + (type.contains("yaml") ? "YAML" : "JSON")
              + ": "
              + reason(e));
    }
    if (!(node instanceof ObjectNode o)) {
      throw ApiException.badRequest("the request body must be an object");
    }
    return o;
  }

  /** The body as JSON if there is one, else null. */
  static JsonNode optional(Call call) {
    byte[] body = call.body();
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return Replies.JSON.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + reason(e));
    }
  }

  private static String reason(IOException e) {
    return e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
  }
}
