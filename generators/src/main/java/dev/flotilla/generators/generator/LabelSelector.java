package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions} with In, NotIn,
 * Exists, DoesNotExist), all of whose terms must hold. An empty selector matches everything.
 */
public final class LabelSelector {

  private record Requirement(String key, String operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static LabelSelector everything() {
    return new LabelSelector(List.of());
  }

  /** Reads a selector object; {@code location} names it in errors. */
  public static LabelSelector parse(JsonNode selector, String location) throws GeneratorException {
    if (selector == null || selector.isNull() || selector.isMissingNode()) {
      return everything();
    }
    if (!selector.isObject()) {
      throw new GeneratorException(location, "selector must be a map");
    }
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = selector.path("matchLabels");
    if (!matchLabels.isMissingNode() && !matchLabels.isNull()) {
      if (!matchLabels.isObject()) {
        throw new GeneratorException(location + ".matchLabels", "matchLabels must be a map");
      }
      Iterator<Map.Entry<String, JsonNode>> labels = matchLabels.fields();
      while (labels.hasNext()) {
        Map.Entry<String, JsonNode> label = labels.next();
        requirements.add(new Requirement(label.getKey(), "In", Set.of(label.getValue().asText())));
      }
    }
    JsonNode expressions = selector.path("matchExpressions");
    if (!expressions.isMissingNode() && !expressions.isNull()) {
      if (!expressions.isArray()) {
        throw new GeneratorException(
            location + ".matchExpressions", "matchExpressions must be a list");
      }
      int index = 0;
      for (JsonNode expression : expressions) {
        String where = location + ".matchExpressions[" + index++ + "]";
        String key = expression.path("key").asText("");
        String operator = expression.path("operator").asText("");
        if (key.isEmpty()) {
          throw new GeneratorException(where + ".key", "key is required");
        }
        Set<String> values = new HashSet<>();
        for (JsonNode value : expression.path("values")) {
          values.add(value.asText());
        }
        switch (operator) {
          case "In", "NotIn" -> {
            if (values.isEmpty()) {
              throw new GeneratorException(
                  where + ".values", "operator " + operator + " needs at least one value");
            }
          }
          case "Exists", "DoesNotExist" -> {
            if (!values.isEmpty()) {
              throw new GeneratorException(
                  where + ".values", "operator " + operator + " takes no values");
            }
          }
          default ->
              throw new GeneratorException(
                  where + ".operator",
                  "unknown operator '"
                      + operator
                      + "' (expected In, NotIn, Exists or DoesNotExist)");
        }
        requirements.add(new Requirement(key, operator, values));
      }
    }
    return new LabelSelector(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
