package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.generators.GeneratorInputs;
import dev.flotilla.generators.template.StringTemplate;
import dev.flotilla.generators.template.TemplateEngine;
import dev.flotilla.generators.template.TemplateException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every generator needs besides its own spec: the inputs, the template engine of the
 * ApplicationSet (which decides flat or nested params) and the limits.
 *
 * @param maxGitFileBytes largest file a git files generator reads
 * @param maxParamSets most parameter sets one generator may produce (matrix blow-up guard)
 */
public record GeneratorContext(
    GeneratorInputs inputs, TemplateEngine engine, long maxGitFileBytes, int maxParamSets) {

  public boolean nestedParams() {
    return engine.nestedParams();
  }

  /**
   * Adds a generator's {@code values} to {@code params}, each value rendered against the params as
   * they were before any value was added (so values cannot reference each other).
   */
  public void appendValues(JsonNode values, Map<String, Object> params, String location)
      throws GeneratorException {
    if (values == null || values.isNull() || values.isEmpty()) {
      return;
    }
    if (!values.isObject()) {
      throw new GeneratorException(location, "values must be a map of strings");
    }
    Map<String, Object> rendered = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = values.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (!value.isValueNode()) {
        throw new GeneratorException(
            location + "." + field.getKey(), "values must be strings, not " + value.getNodeType());
      }
      try {
        StringTemplate template = engine.compile(value.asText());
        rendered.put(field.getKey(), template.render(params));
      } catch (TemplateException e) {
        throw new GeneratorException(location + "." + field.getKey(), e.getMessage(), e);
      }
    }
    if (nestedParams()) {
      params.put("values", rendered);
    } else {
      rendered.forEach((key, value) -> params.put("values." + key, value));
    }
  }
}
