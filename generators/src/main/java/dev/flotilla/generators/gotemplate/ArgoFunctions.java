package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.sorted;
import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.toLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.template.Names;
import dev.flotilla.generators.template.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/** Argo CD's additions: normalize, slugify, toYaml, fromYaml, fromYamlArray, tpl. */
final class ArgoFunctions {

  private ArgoFunctions() {}

  static void register(FunctionTable t) {
    t.fixed(
        "tpl",
        2,
        a -> {
          throw new GoTemplateException("tpl needs a template context");
        });
    t.fixed("normalize", 1, a -> Names.normalize(string(a, 0)));
    t.atLeast(
        "slugify",
        1,
        a -> {
          int max = 50;
          boolean smart = true;
          if (a.size() >= 2) {
            max = (int) toLong(a.get(0));
          }
          if (a.size() >= 3) {
            smart = GoTemplate.truth(a.get(1));
          }
          return Names.slugify(string(a, a.size() - 1), max, smart);
        });
    t.fixed(
        "toYaml",
        1,
        a -> {
          try {
            String yaml = YAML.writeValueAsString(Values.toJson(sorted(a.get(0))));
            return yaml.endsWith("\n") ? yaml.substring(0, yaml.length() - 1) : yaml;
          } catch (JsonProcessingException e) {
            throw new GoTemplateException(e.getOriginalMessage());
          }
        });
    t.fixed(
        "fromYaml",
        1,
        a -> {
          JsonNode node = readYaml(string(a, 0));
          if (node == null || node.isNull()) {
            return new LinkedHashMap<String, Object>();
          }
          if (!node.isObject()) {
            throw new GoTemplateException("fromYaml: expected a map");
          }
          return Values.fromJson(node);
        });
    t.fixed(
        "fromYamlArray",
        1,
        a -> {
          JsonNode node = readYaml(string(a, 0));
          if (node == null || node.isNull()) {
            return new ArrayList<>();
          }
          if (!node.isArray()) {
            throw new GoTemplateException("fromYamlArray: expected a list");
          }
          return Values.fromJson(node);
        });
  }

  static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  static JsonNode readYaml(String text) throws GoTemplateException {
    try {
      return GoValues.FROM_YAML.read(text);
    } catch (YamlException e) {
      throw new GoTemplateException(e.getMessage());
    }
  }
}
