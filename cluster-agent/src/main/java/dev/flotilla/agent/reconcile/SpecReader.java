package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A cursor over the spec JSON that knows its path, so every error names the field. */
final class SpecReader {
  final JsonNode node;
  final String path;

  SpecReader(JsonNode node, String path) {
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

  SpecReader child(String field) {
    requireObject();
    return new SpecReader(isMissing() ? null : node.get(field), path(field));
  }

  List<SpecReader> elements() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(path + " must be a list, got " + node.getNodeType());
    }
    List<SpecReader> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(new SpecReader(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  String string(String field, String fallback) {
    SpecReader c = child(field);
    if (c.isMissing()) {
      return fallback;
    }
    if (!c.node.isTextual()) {
      throw new IllegalArgumentException(c.path + " must be a string, got " + c.node.getNodeType());
    }
    return c.node.asText();
  }

  String requiredString(String field) {
    String s = string(field, "");
    if (s.isEmpty()) {
      throw new IllegalArgumentException(path(field) + " is required");
    }
    return s;
  }

  boolean bool(String field, boolean fallback) {
    SpecReader c = child(field);
    if (c.isMissing()) {
      return fallback;
    }
    if (c.node.isBoolean()) {
      return c.node.booleanValue();
    }
    if (c.node.isTextual() && List.of("true", "false").contains(c.node.asText())) {
      return Boolean.parseBoolean(c.node.asText());
    }
    throw new IllegalArgumentException(c.path + " must be true or false, got " + c.node);
  }

  long integer(String field, long fallback) {
    SpecReader c = child(field);
    if (c.isMissing()) {
      return fallback;
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
    for (SpecReader e : child(field).elements()) {
      if (!e.node.isTextual()) {
        throw new IllegalArgumentException(
            e.path + " must be a string, got " + e.node.getNodeType());
      }
      out.add(e.node.asText());
    }
    return out;
  }
}
