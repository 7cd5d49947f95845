package dev.flotilla.simulator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writing JSON answers and Kubernetes {@code Status} errors. */
final class Replies {

  static final ObjectMapper JSON = new ObjectMapper();

  private Replies() {}

  static Buffer bytes(JsonNode node) {
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  static void json(HttpServerResponse response, int code, JsonNode body) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // a stream (watch, log) already started: end it rather than mix two answers
      response.end();
      return;
    }
    response.setStatusCode(code).putHeader("Content-Type", "application/json").end(bytes(body));
  }

  /**
   * A failure {@code Status}; details name the object and the resource (its plural, as the real
   * server does) when known.
   */
  static ObjectNode status(
      int code, String reason, String message, String group, String resource, String name) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    if (resource != null || name != null) {
      ObjectNode d = s.putObject("details");
      if (name != null) {
        d.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        d.put("group", group);
      }
      if (resource != null) {
        d.put("kind", resource);
      }
    }
    s.put("code", code);
    return s;
  }

  static void status(
      HttpServerResponse response, int code, String reason, String message, RequestTarget target) {
    json(
        response,
        code,
        status(
            code,
            reason,
            message,
            target == null ? null : target.group(),
            target == null ? null : target.resource(),
            target == null ? null : target.name()));
  }
}
