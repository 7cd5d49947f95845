package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A cursor over an Application document that knows its path, so every error names the field. */
final class JsonCursor {
  final JsonNode node;
  final String path;

  JsonCursor(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  boolean isMissing() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  boolean has(String field) {
    return !isMissing() && node.has(field) && !node.get(field).isNull();
  }

  String path(String field) {
    return path + "." + field;
  }

  void requireObject() {
    if (!isMissing() && !node.isObject()) {
      throw new IllegalArgumentException(path + " must be an object, got " + node.getNodeType());
    }
  }

  JsonCursor child(String field) {
    requireObject();
    return new JsonCursor(isMissing() ? null : node.get(field), path(field));
  }

  List<JsonCursor> elements() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(path + " must be a list, got " + node.getNodeType());
    }
    List<JsonCursor> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(new JsonCursor(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** The field's text, or null when it is absent. */
  String string(String field) {
    JsonCursor c = child(field);
    if (c.isMissing()) {
      return null;
    }
    if (!c.node.isTextual()) {
      throw new IllegalArgumentException(c.path + " must be a string, got " + c.node.getNodeType());
    }
    return c.node.asText();
  }

  String requiredString(String field) {
    String s = string(field);
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(path(field) + " is required");
    }
    return s;
  }

  /**
   * Argo CD's booleans are omitempty: absent reads as false. Quoted "true"/"false" are accepted.
   */
  boolean bool(String field) {
    Boolean b = optionalBool(field);
    return b != null && b;
  }

  /** A boolean whose absence differs from false (a Go {@code *bool}); null when absent. */
  Boolean optionalBool(String field) {
    JsonCursor c = child(field);
    if (c.isMissing()) {
      return null;
    }
    if (c.node.isBoolean()) {
      return c.node.booleanValue();
    }
    if (c.node.isTextual() && List.of("true", "false").contains(c.node.asText())) {
      return Boolean.parseBoolean(c.node.asText());
    }
    throw new IllegalArgumentException(c.path + " must be true or false, got " + c.node);
  }

  /**
   * An integer, also accepted as a quoted number (templates often render one); null when absent.
   */
  Long integer(String field) {
    JsonCursor c = child(field);
    if (c.isMissing()) {
      return null;
    }
    if (c.node.isIntegralNumber()) {
      return c.node.longValue();
    }
    if (c.node.isTextual()) {
      try {
        return Long.parseLong(c.node.asText().trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(c.path + " must be an integer, got " + c.node);
  }

  List<String> stringList(String field) {
    List<String> out = new ArrayList<>();
    for (JsonCursor e : child(field).elements()) {
      if (!e.node.isTextual()) {
        throw new IllegalArgumentException(
            e.path + " must be a string, got " + e.node.getNodeType());
      }
      out.add(e.node.asText());
    }
    return out;
  }

  /** A string-to-string mapping such as labels; empty when absent. */
  Map<String, String> stringMap(String field) {
    JsonCursor c = child(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (c.isMissing()) {
      return out;
    }
    c.requireObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = c.node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            c.path(e.getKey()) + " must be a string, got " + e.getValue().getNodeType());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** The object under {@code field} as it is, or null when absent. */
  ObjectNode object(String field) {
    JsonCursor c = child(field);
    if (c.isMissing()) {
      return null;
    }
    c.requireObject();
    return (ObjectNode) c.node.deepCopy();
  }

  /**
   * The fields of this object the model does not know, copied, so that what Argo CD users bring
   * (and Flotilla does not act on) is written back unchanged.
   */
  ObjectNode unknown(Set<String> known) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (isMissing()) {
      return out;
    }
    requireObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!known.contains(e.getKey())) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}
