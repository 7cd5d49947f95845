package dev.flotilla.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a custom resource against its CRD's structural OpenAPI schema the way the API server
 * would, but stricter: a field the schema does not name is an error (the API server would prune it
 * silently, which is how a typo in a CRD-typed manifest goes unnoticed).
 */
final class CrdSchemaValidator {

  private CrdSchemaValidator() {}

  /** Appends one message per problem to {@code errors}, each naming the field's path. */
  static void validate(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        errors.add(path + ": expected an integer or a string, got " + value.getNodeType());
      }
      return;
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> validateObject(value, schema, path, preserve, errors);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(path + ": expected a list, got " + value.getNodeType());
          return;
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < value.size(); i++) {
          if (items.isObject()) {
            validate(value.get(i), items, path + "[" + i + "]", errors);
          }
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          errors.add(path + ": expected a string, got " + value.getNodeType());
        } else if (schema.has("enum") && !contains(schema.get("enum"), value.asText())) {
          errors.add(path + ": '" + value.asText() + "' is not one of " + schema.get("enum"));
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          errors.add(path + ": expected an integer, got " + value.getNodeType());
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          errors.add(path + ": expected a number, got " + value.getNodeType());
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          errors.add(path + ": expected true or false, got " + value.getNodeType());
        }
      }
      default -> {
        // No type: anything goes (preserve-unknown-fields subtrees, or a schema that says nothing).
      }
    }
  }

  private static void validateObject(
      JsonNode value, JsonNode schema, String path, boolean preserve, List<String> errors) {
    if (!value.isObject()) {
      errors.add(path + ": expected a map, got " + value.getNodeType());
      return;
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        validate(field.getValue(), properties.get(field.getKey()), child, errors);
      } else if (additional.isObject()) {
        validate(field.getValue(), additional, child, errors);
      } else if (!preserve && !additional.asBoolean(false)) {
        errors.add(child + ": unknown field (not in the schema)");
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        String child = path.isEmpty() ? required.asText() : path + "." + required.asText();
        errors.add(child + ": required field missing");
      }
    }
  }

  private static boolean contains(JsonNode values, String text) {
    for (JsonNode v : values) {
      if (v.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }
}
