package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Label selectors as the controllers use them: a workload's {@code LabelSelector} (matchLabels and
 * matchExpressions) and a Service's plain map.
 */
final class Selectors {

  private Selectors() {}

  /** A LabelSelector; a missing or null one selects nothing, an empty one everything. */
  static boolean matches(JsonNode selector, Map<String, String> labels) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    if (!matchesMap(selector.path("matchLabels"), labels, true)) {
      return false;
    }
    for (JsonNode req : selector.path("matchExpressions")) {
      String key = req.path("key").asText();
      Set<String> values = new HashSet<>();
      req.path("values").forEach(v -> values.add(v.asText()));
      boolean has = labels.containsKey(key);
      boolean ok =
          switch (req.path("operator").asText()) {
            case "In" -> has && values.contains(labels.get(key));
            case "NotIn" -> !has || !values.contains(labels.get(key));
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Every entry of {@code selector} is among the labels; an empty map selects all when allowed. */
  static boolean matchesMap(JsonNode selector, Map<String, String> labels, boolean emptyMatches) {
    if (selector == null || !selector.isObject() || selector.isEmpty()) {
      return emptyMatches;
    }
    for (Map.Entry<String, String> e : Meta.stringMap(selector).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
