package dev.flotilla.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.selector.LabelSelector.Operator;
import dev.flotilla.core.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The structured form: {@code matchLabels} and {@code matchExpressions}. */
final class SelectorObject {

  private SelectorObject() {}

  static LabelSelector parse(JsonNode selector, String location) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) {
      return LabelSelector.EVERYTHING;
    }
    if (!selector.isObject()) {
      throw new LabelSelectorException(location, "selector must be a map");
    }
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = selector.path("matchLabels");
    if (!matchLabels.isMissingNode() && !matchLabels.isNull()) {
      if (!matchLabels.isObject()) {
        throw new LabelSelectorException(location + ".matchLabels", "matchLabels must be a map");
      }
      Iterator<Map.Entry<String, JsonNode>> labels = matchLabels.fields();
      while (labels.hasNext()) {
        Map.Entry<String, JsonNode> label = labels.next();
        requirements.add(
            new Requirement(label.getKey(), Operator.IN, List.of(label.getValue().asText())));
      }
    }
    JsonNode expressions = selector.path("matchExpressions");
    if (!expressions.isMissingNode() && !expressions.isNull()) {
      if (!expressions.isArray()) {
        throw new LabelSelectorException(
            location + ".matchExpressions", "matchExpressions must be a list");
      }
      int index = 0;
      for (JsonNode expression : expressions) {
        requirements.add(expression(expression, location + ".matchExpressions[" + index++ + "]"));
      }
    }
    return new LabelSelector(requirements);
  }

  private static Requirement expression(JsonNode expression, String where) {
    String key = expression.path("key").asText("");
    String operator = expression.path("operator").asText("");
    if (key.isEmpty()) {
      throw new LabelSelectorException(where + ".key", "key is required");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : expression.path("values")) {
      values.add(value.asText());
    }
    Operator op =
        switch (operator) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default ->
              throw new LabelSelectorException(
                  where + ".operator",
                  "unknown operator '"
                      + operator
                      + "' (expected In, NotIn, Exists or DoesNotExist)");
        };
    boolean needsValues = op == Operator.IN || op == Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new LabelSelectorException(
          where + ".values", "operator " + operator + " needs at least one value");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new LabelSelectorException(
          where + ".values", "operator " + operator + " takes no values");
    }
    return new Requirement(key, op, values);
  }
}
