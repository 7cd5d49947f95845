package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Defensive copies for the records, so a model value never changes after it is built. */
final class Nodes {
  private Nodes() {}

  static ObjectNode copy(ObjectNode node) {
    return node == null ? JsonNodeFactory.instance.objectNode() : node.deepCopy();
  }

  static ObjectNode copyOrNull(ObjectNode node) {
    return node == null ? null : node.deepCopy();
  }

  static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  static Map<String, String> map(Map<String, String> map) {
    return map == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }
}
