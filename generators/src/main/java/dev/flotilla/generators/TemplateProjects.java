package dev.flotilla.generators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.generators.generator.GeneratorException;
import dev.flotilla.generators.generator.Generators;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which templates an ApplicationSet's Applications come from, and so which AppProjects they can
 * land in.
 *
 * <p>Each generated Application is rendered from the <em>effective</em> template of its top-level
 * generator: {@code spec.template}, overridden field by field by that generator's own {@code
 * template} (non-empty fields of the generator's template win, as in Argo CD's
 * mergeGeneratorTemplate). A matrix or merge child's own template is not used for rendering (Argo
 * CD drops it too), but it still names a project, so it counts here as well: permission to create
 * an ApplicationSet is decided on every project any of its templates names, never on {@code
 * spec.template} alone (issue 15: a per-generator template placed Applications in another team's
 * project). A {@code templatePatch} may not change the project at all; the renderer enforces that.
 */
public final class TemplateProjects {

  /** The project of an Application whose template names none, as in Argo CD. */
  public static final String DEFAULT_PROJECT = "default";

  /** Deeper than any nesting the validator accepts; only a guard against a crafted document. */
  private static final int MAX_DEPTH = Generators.MAX_NESTING + 2;

  private TemplateProjects() {}

  /**
   * Every project an Application of {@code document} could get or that one of its templates names,
   * each with the first field naming it, in document order ({@code spec.template} first).
   */
  public static List<TemplateProject> of(JsonNode document) {
    JsonNode spec = document == null ? null : document.path("spec");
    Map<String, String> found = new LinkedHashMap<>();
    if (spec == null || !spec.isObject()) {
      return List.of();
    }
    JsonNode template = spec.path("template");
    found.putIfAbsent(projectOf(template), "spec.template.spec.project");
    JsonNode generators = spec.path("generators");
    for (int i = 0; i < generators.size(); i++) {
      String location = "spec.generators[" + i + "]";
      JsonNode entry = generators.get(i);
      String type = typeOrNull(entry, location);
      if (type == null) {
        continue;
      }
      String where = location + "." + type;
      JsonNode effective = effectiveTemplate(template, entry.path(type).path("template"));
      found.putIfAbsent(projectOf(effective), where + ".template.spec.project");
      children(entry.path(type), where, found, 0);
    }
    List<TemplateProject> projects = new ArrayList<>();
    found.forEach((project, location) -> projects.add(new TemplateProject(project, location)));
    return projects;
  }

  /** The project names of {@link #of}, sorted. */
  public static Set<String> names(JsonNode document) {
    Set<String> names = new TreeSet<>();
    of(document).forEach(p -> names.add(p.project()));
    return names;
  }

  /** The project a rendered Application of this template gets; {@code default} for none. */
  static String projectOf(JsonNode template) {
    JsonNode project = template.path("spec").path("project");
    if (project.isMissingNode() || project.isNull()) {
      return DEFAULT_PROJECT;
    }
    // A non-string project is refused by the validator; here it must not pass for "default".
    String name = project.isTextual() ? project.textValue() : project.toString();
    return name.isEmpty() ? DEFAULT_PROJECT : name;
  }

  private static void children(
      JsonNode generatorSpec, String where, Map<String, String> found, int depth) {
    JsonNode children = generatorSpec.path("generators");
    if (depth > MAX_DEPTH || !children.isArray()) {
      return;
    }
    for (int i = 0; i < children.size(); i++) {
      String location = where + ".generators[" + i + "]";
      String type = typeOrNull(children.get(i), location);
      if (type == null) {
        continue;
      }
      JsonNode child = children.get(i).path(type);
      String childWhere = location + "." + type;
      JsonNode project = child.path("template").path("spec").path("project");
      if (!project.isMissingNode() && !project.isNull()) {
        found.putIfAbsent(projectOf(child.path("template")), childWhere + ".template.spec.project");
      }
      children(child, childWhere, found, depth + 1);
    }
  }

  private static String typeOrNull(JsonNode entry, String location) {
    try {
      return Generators.typeOf(entry, location);
    } catch (GeneratorException e) {
      return null;
    }
  }

  /**
   * The template a top-level generator renders with: {@code template} overridden by the generator's
   * own {@code override}, field by field (maps merge, other non-empty values replace). Returns
   * {@code template} itself when there is nothing to override.
   */
  public static JsonNode effectiveTemplate(JsonNode template, JsonNode override) {
    if (!override.isObject() || override.isEmpty()) {
      return template;
    }
    return merge(template, override);
  }

  private static JsonNode merge(JsonNode base, JsonNode override) {
    if (!base.isObject() || !override.isObject()) {
      return isEmpty(override) ? base : override;
    }
    ObjectNode merged = ((ObjectNode) base).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = merged.get(field.getKey());
      if (existing == null) {
        if (!isEmpty(field.getValue())) {
          merged.set(field.getKey(), field.getValue());
        }
      } else {
        merged.set(field.getKey(), merge(existing, field.getValue()));
      }
    }
    return merged;
  }

  private static boolean isEmpty(JsonNode node) {
    return node == null
        || node.isNull()
        || (node.isTextual() && node.textValue().isEmpty())
        || (node.isContainerNode() && node.isEmpty());
  }
}
