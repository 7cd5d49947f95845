package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One path of a managedFields set in FieldsV1 notation: {@code f:spec}, {@code k:{"name":"web"}} (a
 * list element by its merge key), {@code v:"x"} (a value of a set) and {@code .} (the list element
 * itself).
 */
record FieldPath(List<String> tokens) implements Comparable<FieldPath> {

  static final String SELF = ".";

  FieldPath {
    tokens = List.copyOf(tokens);
  }

  static FieldPath root() {
    return new FieldPath(List.of());
  }

  FieldPath field(String name) {
    return with("f:" + name);
  }

  FieldPath key(String mergeKey, JsonNode value) {
    ObjectNode key = PatchBodies.JSON.createObjectNode();
    key.set(mergeKey, value);
    return with("k:" + key);
  }

  FieldPath value(JsonNode value) {
    return with("v:" + value);
  }

  FieldPath self() {
    return with(SELF);
  }

  FieldPath with(String token) {
    List<String> longer = new ArrayList<>(tokens);
    longer.add(token);
    return new FieldPath(longer);
  }

  FieldPath parent() {
    return new FieldPath(tokens.subList(0, tokens.size() - 1));
  }

  String last() {
    return tokens.get(tokens.size() - 1);
  }

  boolean isEmpty() {
    return tokens.isEmpty();
  }

  boolean startsWith(FieldPath prefix) {
    return tokens.size() >= prefix.tokens.size()
        && tokens.subList(0, prefix.tokens.size()).equals(prefix.tokens);
  }

  /** Whether the path names a value that can differ (not an element's presence or a set value). */
  boolean isLeafValue() {
    return !isEmpty() && last().startsWith("f:");
  }

  /** The node the path names in an object, or null. */
  JsonNode resolve(JsonNode root) {
    JsonNode node = root;
    for (String token : tokens) {
      if (node == null) {
        return null;
      }
      node = step(node, token);
    }
    return node;
  }

  /**
   * Removes what the path names from the object, if it is there, and then every map or list that
   * this left empty: Go's omitempty would not serialise them either.
   */
  void removeFrom(JsonNode root) {
    if (isEmpty()) {
      return;
    }
    if (last().equals(SELF)) {
      parent().removeFrom(root);
      return;
    }
    JsonNode container = parent().resolve(root);
    String token = last();
    boolean removed = false;
    if (container != null && container.isObject() && token.startsWith("f:")) {
      removed = ((ObjectNode) container).remove(token.substring(2)) != null;
    } else if (container != null && container.isArray()) {
      for (Iterator<JsonNode> it = container.iterator(); it.hasNext() && !removed; ) {
        if (matches(it.next(), token)) {
          it.remove();
          removed = true;
        }
      }
    }
    if (removed && container.isEmpty() && parent().tokens.size() > 1) {
      parent().removeFrom(root);
    }
  }

  private static JsonNode step(JsonNode node, String token) {
    if (token.equals(SELF)) {
      return node;
    }
    if (token.startsWith("f:")) {
      return node.isObject() ? node.get(token.substring(2)) : null;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (matches(element, token)) {
          return element;
        }
      }
    }
    return null;
  }

  private static boolean matches(JsonNode element, String token) {
    JsonNode wanted = parse(token.substring(2));
    if (token.startsWith("v:")) {
      return element.equals(wanted);
    }
    if (!token.startsWith("k:") || !element.isObject() || !wanted.isObject()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> key = it.next();
      if (!key.getValue().equals(element.get(key.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parse(String json) {
    try {
      return PatchBodies.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw PatchException.badRequest("invalid managedFields path element: " + json);
    }
  }

  /** As the API server prints it in conflicts: {@code .spec.containers[name="web"].image}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (String token : tokens) {
      if (token.startsWith("f:")) {
        out.append('.').append(token.substring(2));
      } else if (token.startsWith("v:")) {
        out.append("[=").append(token.substring(2)).append(']');
      } else if (token.startsWith("k:")) {
        List<String> keys = new ArrayList<>();
        parse(token.substring(2))
            .fields()
            .forEachRemaining(k -> keys.add(k.getKey() + "=" + k.getValue()));
        out.append('[').append(String.join(",", keys)).append(']');
      }
    }
    return out.toString();
  }

  @Override
  public int compareTo(FieldPath other) {
    return String.join("\u0000", tokens).compareTo(String.join("\u0000", other.tokens));
  }
}
