package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.template.Values;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The list generator: one parameter set per element of {@code elements}, then per element of {@code
 * elementsYaml}. A bad element is reported and skipped; the others still generate.
 */
public final class ListGenerator implements Generator {

  private static final BoundedYaml ELEMENTS_YAML = new BoundedYaml(1024 * 1024);

  @Override
  public GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location) {
    JsonNode elements = spec.path("elements");
    JsonNode elementsYaml = spec.path("elementsYaml");
    boolean hasElements = elements.isArray();
    boolean hasYaml = elementsYaml.isTextual() && !elementsYaml.textValue().isBlank();
    if (!elements.isMissingNode() && !elements.isNull() && !hasElements) {
      return GeneratorOutput.failure(location + ".elements", "elements must be a list");
    }
    if (!hasElements && !hasYaml) {
      return GeneratorOutput.failure(
          location + ".elements", "list generator needs 'elements' (or 'elementsYaml')");
    }
    List<ParamSet> paramSets = new ArrayList<>();
    List<GenerationError> errors = new ArrayList<>();
    if (hasElements) {
      addElements(elements, location + ".elements", context, paramSets, errors);
    }
    if (hasYaml) {
      JsonNode parsed;
      try {
        parsed = ELEMENTS_YAML.read(elementsYaml.textValue());
      } catch (YamlException e) {
        return new GeneratorOutput(
            paramSets,
            append(errors, location + ".elementsYaml", "not valid YAML: " + e.getMessage()),
            Optional.empty(),
            true);
      }
      if (parsed == null || parsed.isNull()) {
        // An empty YAML string simply contributes no elements.
      } else if (!parsed.isArray()) {
        return new GeneratorOutput(
            paramSets,
            append(errors, location + ".elementsYaml", "elementsYaml must be a YAML list of maps"),
            Optional.empty(),
            true);
      } else {
        addElements(parsed, location + ".elementsYaml", context, paramSets, errors);
      }
    }
    return new GeneratorOutput(paramSets, errors, Optional.empty(), false);
  }

  private static void addElements(
      JsonNode elements,
      String location,
      GeneratorContext context,
      List<ParamSet> paramSets,
      List<GenerationError> errors) {
    int index = 0;
    for (JsonNode element : elements) {
      String where = location + "[" + index++ + "]";
      if (!element.isObject()) {
        errors.add(
            new GenerationError(where, "element must be a map, not " + element.getNodeType()));
        continue;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      if (context.nestedParams()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) Values.fromJson(element);
        params.putAll(nested);
      } else {
        String problem = stringParams(element, params);
        if (problem != null) {
          errors.add(new GenerationError(where, problem));
          continue;
        }
      }
      paramSets.add(new ParamSet(params, where));
    }
  }

  /**
   * Without goTemplate, Argo CD takes an element's values only as strings, plus a map of strings
   * under {@code values} (as {@code values.KEY}); anything else fails the generator there. Doing
   * the same keeps an ApplicationSet meaning one thing on both.
   *
   * @return null, or what is wrong, naming the key
   */
  private static String stringParams(JsonNode element, Map<String, Object> params) {
    Iterator<Map.Entry<String, JsonNode>> fields = element.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("values") && value.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> values = value.fields();
        while (values.hasNext()) {
          Map.Entry<String, JsonNode> entry = values.next();
          if (!entry.getValue().isTextual()) {
            return notAString("values." + entry.getKey(), entry.getValue());
          }
          params.put("values." + entry.getKey(), entry.getValue().textValue());
        }
      } else if (value.isTextual()) {
        params.put(key, value.textValue());
      } else {
        return notAString(key, value);
      }
    }
    return null;
  }

  private static String notAString(String key, JsonNode value) {
    String type =
        switch (value.getNodeType()) {
          case NUMBER -> "a number";
          case BOOLEAN -> "a boolean";
          case OBJECT -> "a map";
          case ARRAY -> "a list";
          case NULL -> "null";
          default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    String hint =
        value.isValueNode() && !value.isNull()
            ? "quote it ('" + value.asText() + "') or set goTemplate: true"
            : "set goTemplate: true to use structured values";
    return "the value of '"
        + key
        + "' is "
        + type
        + ", but without goTemplate list element values must be strings (as in Argo CD): "
        + hint;
  }

  private static List<GenerationError> append(
      List<GenerationError> errors, String location, String message) {
    List<GenerationError> all = new ArrayList<>(errors);
    all.add(new GenerationError(location, message));
    return all;
  }
}
