package dev.flotilla.generators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Helpers shared by the engine tests. */
final class Fixtures {
  private Fixtures() {}

  static ApplicationSet parse(String yaml) {
    try {
      return ApplicationSetParser.parse(yaml);
    } catch (InvalidApplicationSetException e) {
      throw new AssertionError("fixture does not parse: " + e.getMessage(), e);
    }
  }

  static GenerationResult generate(String yaml, GeneratorInputs inputs) {
    return new ApplicationSetEngine().generate(parse(yaml), inputs);
  }

  /** Skips the parser's checks, to test that the engine reports them on its own too. */
  static GenerationResult generateUnchecked(String yaml, GeneratorInputs inputs) {
    try {
      var document =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new dev.flotilla.core.yaml.BoundedYaml(1 << 20).read(yaml);
      var set =
          new ApplicationSet(
              document.path("metadata").path("name").asText(),
              document.path("metadata").path("namespace").asText(null),
              document);
      return new ApplicationSetEngine().generate(set, inputs);
    } catch (dev.flotilla.core.yaml.YamlException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> names(GenerationResult result) {
    return result.applications().stream().map(GeneratedApplication::name).toList();
  }

  /** Reads a dotted path (a.b[0].c) in an Application document as text. */
  static String at(GeneratedApplication app, String path) {
    JsonNode node = app.document();
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      node = node.path(field);
      if (bracket >= 0) {
        node = node.path(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /**
   * Asserts exactly these Applications (name -> dotted path -> text) and exactly these errors, each
   * written "location | fragment of the message".
   */
  static void assertResult(
      GenerationResult result, Map<String, Map<String, String>> apps, List<String> errors) {
    assertThat(names(result)).containsExactlyElementsOf(apps.keySet().stream().sorted().toList());
    for (GeneratedApplication app : result.applications()) {
      apps.get(app.name())
          .forEach(
              (path, value) ->
                  assertThat(at(app, path)).as(app.name() + " " + path).isEqualTo(value));
    }
    assertThat(result.errors()).as("errors").hasSize(errors.size());
    for (String expected : errors) {
      String[] parts = expected.split("\\|", 2);
      String location = parts[0].strip();
      String fragment = parts.length > 1 ? parts[1].strip() : "";
      assertThat(result.errors())
          .as("an error at %s containing %s", location, fragment)
          .anySatisfy(
              error -> {
                assertThat(error.location()).isEqualTo(location);
                assertThat(error.message()).contains(fragment);
              });
    }
  }
}
