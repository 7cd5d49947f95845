package dev.flotilla.generators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.selector.LabelSelector;
import dev.flotilla.core.selector.LabelSelectorException;
import dev.flotilla.generators.generator.GeneratorException;
import dev.flotilla.generators.generator.Generators;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Static checks of an ApplicationSet document, before any input is read. Each problem names its
 * location so that a user can find it in their YAML.
 */
public final class ApplicationSetValidator {

  static final Set<String> GO_TEMPLATE_OPTIONS =
      Set.of("missingkey=default", "missingkey=invalid", "missingkey=zero", "missingkey=error");

  private ApplicationSetValidator() {}

  /** Problems with the document as a whole (metadata, spec, template). */
  public static List<GenerationError> validateDocument(JsonNode document) {
    List<GenerationError> errors = new ArrayList<>();
    if (document == null || !document.isObject()) {
      errors.add(new GenerationError("", "an ApplicationSet must be a YAML or JSON map"));
      return errors;
    }
    String kind = document.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("ApplicationSet")) {
      errors.add(new GenerationError("kind", "expected kind ApplicationSet, found " + kind));
    }
    String apiVersion = document.path("apiVersion").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.startsWith("argoproj.io/")) {
      errors.add(
          new GenerationError(
              "apiVersion", "expected apiVersion argoproj.io/v1alpha1, found " + apiVersion));
    }
    JsonNode name = document.path("metadata").path("name");
    if (!name.isTextual() || name.textValue().isEmpty()) {
      errors.add(new GenerationError("metadata.name", "metadata.name is required"));
    }
    JsonNode spec = document.path("spec");
    if (!spec.isObject()) {
      errors.add(new GenerationError("spec", "spec is required"));
      return errors;
    }
    JsonNode goTemplate = spec.path("goTemplate");
    if (!goTemplate.isMissingNode() && !goTemplate.isNull() && !goTemplate.isBoolean()) {
      errors.add(new GenerationError("spec.goTemplate", "goTemplate must be true or false"));
    }
    JsonNode options = spec.path("goTemplateOptions");
    if (!options.isMissingNode() && !options.isNull()) {
      if (!options.isArray()) {
        errors.add(new GenerationError("spec.goTemplateOptions", "must be a list of strings"));
      } else {
        int index = 0;
        for (JsonNode option : options) {
          if (!GO_TEMPLATE_OPTIONS.contains(option.asText())) {
            errors.add(
                new GenerationError(
                    "spec.goTemplateOptions[" + index + "]",
                    "unknown option '"
                        + option.asText()
                        + "', expected one of "
                        + GO_TEMPLATE_OPTIONS.stream().sorted().toList()));
          }
          index++;
        }
      }
    }
    JsonNode patch = spec.path("templatePatch");
    if (patch.isTextual() && !patch.textValue().isBlank() && !goTemplate.asBoolean(false)) {
      errors.add(
          new GenerationError("spec.templatePatch", "templatePatch requires goTemplate: true"));
    }
    JsonNode template = spec.path("template");
    if (!template.isObject()) {
      errors.add(new GenerationError("spec.template", "spec.template is required"));
    } else {
      checkProject(template, "spec.template", errors);
    }
    JsonNode generators = spec.path("generators");
    if (!generators.isArray() || generators.isEmpty()) {
      errors.add(
          new GenerationError(
              "spec.generators", "spec.generators must list at least one generator"));
    }
    return errors;
  }

  /** Problems with one generator entry, recursing into matrix and merge children. */
  public static List<GenerationError> validateGenerator(
      JsonNode entry, String location, int depth) {
    List<GenerationError> errors = new ArrayList<>();
    String type;
    try {
      type = Generators.typeOf(entry, location);
    } catch (GeneratorException e) {
      errors.add(new GenerationError(e.location(), e.getMessage()));
      return errors;
    }
    JsonNode spec = entry.get(type);
    String where = location + "." + type;
    if (!spec.isObject()) {
      errors.add(new GenerationError(where, "the " + type + " generator must be a map"));
      return errors;
    }
    try {
      LabelSelector.parse(entry.get("selector"), location + ".selector");
    } catch (LabelSelectorException e) {
      errors.add(new GenerationError(e.where(), e.getMessage()));
    }
    if (spec.path("template").isObject()) {
      checkProject(spec.path("template"), where + ".template", errors);
    }
    switch (type) {
      case "list" -> {
        JsonNode elements = spec.path("elements");
        boolean hasYaml = spec.path("elementsYaml").isTextual();
        if (!elements.isArray() && !hasYaml) {
          errors.add(
              new GenerationError(
                  where + ".elements", "list generator needs 'elements' (or 'elementsYaml')"));
        }
      }
      case "clusters" -> {
        try {
          LabelSelector.parse(spec.get("selector"), where + ".selector");
        } catch (LabelSelectorException e) {
          errors.add(new GenerationError(e.where(), e.getMessage()));
        }
      }
      case "git" -> {
        if (spec.path("repoURL").asText("").isEmpty()) {
          errors.add(new GenerationError(where + ".repoURL", "repoURL is required"));
        }
        boolean directories =
            spec.path("directories").isArray() && !spec.path("directories").isEmpty();
        boolean files = spec.path("files").isArray() && !spec.path("files").isEmpty();
        if (directories == files) {
          errors.add(
              new GenerationError(
                  where,
                  directories
                      ? "git generator takes either 'directories' or 'files', not both"
                      : "git generator needs a non-empty 'directories' or 'files' list"));
        }
        String kind = directories ? "directories" : "files";
        int index = 0;
        for (JsonNode item : spec.path(kind)) {
          if (item.path("path").asText("").isEmpty()) {
            errors.add(
                new GenerationError(
                    where + "." + kind + "[" + index + "].path", "path is required"));
          }
          index++;
        }
      }
      case "matrix", "merge" -> {
        JsonNode children = spec.path("generators");
        int count = children.isArray() ? children.size() : 0;
        if (type.equals("matrix") && count != 2) {
          errors.add(
              new GenerationError(
                  where + ".generators",
                  "the matrix generator needs exactly two child generators, found " + count));
        }
        if (type.equals("merge")) {
          if (count < 2) {
            errors.add(
                new GenerationError(
                    where + ".generators",
                    "the merge generator needs at least two child generators"));
          }
          if (!spec.path("mergeKeys").isArray() || spec.path("mergeKeys").isEmpty()) {
            errors.add(
                new GenerationError(
                    where + ".mergeKeys", "the merge generator needs at least one merge key"));
          }
        }
        if (depth >= Generators.MAX_NESTING) {
          errors.add(
              new GenerationError(
                  where,
                  "matrix and merge generators nest at most "
                      + Generators.MAX_NESTING
                      + " levels deep"));
        } else if (children.isArray()) {
          for (int i = 0; i < children.size(); i++) {
            errors.addAll(
                validateGenerator(children.get(i), where + ".generators[" + i + "]", depth + 1));
          }
        }
      }
      default -> {}
    }
    return errors;
  }

  /**
   * A template must not choose its own project (see DESIGN.md, safety rules): the project is a
   * literal string, and no key of {@code spec} is templated, since a key rendering to {@code
   * project} would choose it as well. Applied to every template an Application can come from; the
   * renderer checks the rendered result again.
   */
  static void checkProject(JsonNode template, String location, List<GenerationError> errors) {
    JsonNode spec = template.path("spec");
    JsonNode project = spec.path("project");
    if (project.isTextual() && project.textValue().contains("{{")) {
      errors.add(
          new GenerationError(
              location + ".spec.project",
              "spec.project must not be templated ('"
                  + project.textValue()
                  + "'): a template may not choose its own AppProject; name the project literally"));
    } else if (!project.isMissingNode() && !project.isNull() && !project.isTextual()) {
      errors.add(
          new GenerationError(
              location + ".spec.project",
              "spec.project must be a string naming an AppProject, found " + project));
    }
    Iterator<String> keys = spec.isObject() ? spec.fieldNames() : List.<String>of().iterator();
    while (keys.hasNext()) {
      String key = keys.next();
      if (key.contains("{{")) {
        errors.add(
            new GenerationError(
                location + ".spec",
                "the key '"
                    + key
                    + "' is templated: keys of a template's spec must be literal, since a"
                    + " templated key could set spec.project"));
      }
    }
  }
}
