package dev.flotilla.generators.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.GeneratedApplication;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renders one ApplicationSet template (already merged with a generator's own template) into Argo CD
 * {@code Application} documents, one per parameter set.
 */
public final class ApplicationRenderer {

  public static final String API_VERSION = "argoproj.io/v1alpha1";
  public static final String RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] METADATA_FIELDS = {
    "name", "namespace", "labels", "annotations", "finalizers"
  };
  private static final BoundedYaml PATCH_YAML = new BoundedYaml(1024 * 1024);

  private final TemplateTree metadata;
  private final TemplateTree spec;
  private final StringTemplate patch;
  private final boolean preserveResourcesOnDeletion;
  private final String namespace;
  private final String project;
  private final AtomicBoolean patchedProjectIgnored = new AtomicBoolean();

  /**
   * @param template the {@code template} object (metadata and spec)
   * @param engine how strings are templated
   * @param templatePatch the goTemplate {@code templatePatch}, or null
   * @param patchEngine the engine for {@code templatePatch} (goTemplate)
   * @param preserveResourcesOnDeletion {@code spec.syncPolicy.preserveResourcesOnDeletion}
   * @param namespace the ApplicationSet's namespace, which generated Applications always get
   */
  public ApplicationRenderer(
      JsonNode template,
      TemplateEngine engine,
      String templatePatch,
      TemplateEngine patchEngine,
      boolean preserveResourcesOnDeletion,
      String namespace)
      throws TemplateException {
    ObjectNode templateMetadata = NODES.objectNode();
    JsonNode sourceMetadata = template.path("metadata");
    for (String field : METADATA_FIELDS) {
      JsonNode value = sourceMetadata.get(field);
      if (value != null && !value.isNull()) {
        templateMetadata.set(field, value);
      }
    }
    this.metadata = TemplateTree.compile(templateMetadata, engine, "template.metadata");
    JsonNode templateSpec = template.path("spec");
    this.spec =
        TemplateTree.compile(
            templateSpec.isObject() ? templateSpec : NODES.objectNode(), engine, "template.spec");
    this.project = projectText(templateSpec.isObject() ? templateSpec.path("project") : null);
    this.patch =
        templatePatch == null || templatePatch.isBlank()
            ? null
            : patchEngine.compile(templatePatch);
    this.preserveResourcesOnDeletion = preserveResourcesOnDeletion;
    this.namespace = namespace;
  }

  /** Renders one Application. */
  public GeneratedApplication render(Map<String, Object> params) throws TemplateException {
    ObjectNode renderedMetadata = (ObjectNode) metadata.render(params);
    ObjectNode renderedSpec = (ObjectNode) spec.render(params);
    ObjectNode document = new ObjectNode(NODES, new CompactFieldMap(4));
    document.put("apiVersion", API_VERSION);
    document.put("kind", "Application");
    ObjectNode meta = new ObjectNode(NODES, new CompactFieldMap(5));
    document.set("metadata", meta);
    copy(renderedMetadata, "name", meta);
    if (namespace != null && !namespace.isEmpty()) {
      meta.put("namespace", namespace);
    } else {
      copy(renderedMetadata, "namespace", meta);
    }
    copy(renderedMetadata, "labels", meta);
    copy(renderedMetadata, "annotations", meta);
    copy(renderedMetadata, "finalizers", meta);
    document.set("spec", renderedSpec);
    checkProject(renderedSpec);

    if (patch != null) {
      applyPatch(document, params);
    }
    stringValues((ObjectNode) document.get("metadata"), "labels");
    stringValues((ObjectNode) document.get("metadata"), "annotations");
    JsonNode finalizers = meta.get("finalizers");
    if (!preserveResourcesOnDeletion && (finalizers == null || finalizers.isEmpty())) {
      meta.putArray("finalizers").add(RESOURCES_FINALIZER);
    }
    String name = meta.path("name").isTextual() ? meta.path("name").textValue() : "";
    if (name.isEmpty()) {
      throw new TemplateException("template.metadata.name: the rendered Application has no name");
    }
    if (!isDnsSubdomain(name)) {
      throw new TemplateException(
          "template.metadata.name: '"
              + name
              + "' is not a valid Application name (lower-case letters, digits, '-' and '.', starting"
              + " and ending with a letter or digit, at most 253 characters); the normalize function"
              + " or the *Normalized parameters make one");
    }
    checkSourcePaths(renderedSpecOf(document));
    try {
      return new GeneratedApplication(name, document);
    } catch (IllegalArgumentException e) {
      // The agent would refuse it with the same message; refused here, the ApplicationSet shows it.
      throw new TemplateException(
          "the rendered Application '" + name + "' is not valid: " + e.getMessage(), e);
    }
  }

  private void applyPatch(ObjectNode document, Map<String, Object> params)
      throws TemplateException {
    String rendered;
    try {
      rendered = patch.render(params);
    } catch (TemplateException e) {
      throw new TemplateException("templatePatch: " + e.getMessage(), e);
    }
    JsonNode patchTree;
    try {
      patchTree = PATCH_YAML.read(rendered);
    } catch (YamlException e) {
      throw new TemplateException(
          "templatePatch: rendered patch is not valid YAML: " + e.getMessage(), e);
    }
    if (patchTree == null || patchTree.isNull()) {
      return;
    }
    if (!patchTree.isObject()) {
      throw new TemplateException("templatePatch: rendered patch must be a YAML mapping");
    }
    String projectBefore = document.path("spec").path("project").asText("");
    if (patchTree.path("spec") instanceof ObjectNode patchSpec && patchSpec.has("project")) {
      // Argo CD ignores spec.project in a templatePatch; the project stays the template's.
      patchSpec.remove("project");
      patchedProjectIgnored.set(true);
    }
    Iterator<Map.Entry<String, JsonNode>> fields = patchTree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (!key.equals("metadata") && !key.equals("spec")) {
        throw new TemplateException(
            "templatePatch: may only change metadata and spec, not '" + key + "'");
      }
      JsonNode existing = document.get(key);
      document.set(key, mergePatch(existing, field.getValue()));
    }
    ObjectNode meta = (ObjectNode) document.get("metadata");
    if (namespace != null && !namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    String projectAfter = document.path("spec").path("project").asText("");
    if (!projectAfter.equals(projectBefore)
        || !Objects.equals(projectText(document.path("spec").path("project")), project)) {
      throw new TemplateException(
          "templatePatch: may not change spec.project (from '"
              + projectBefore
              + "' to '"
              + projectAfter
              + "'); the project of generated Applications is fixed by the template");
    }
  }

  /**
   * Whether a templatePatch set {@code spec.project} in any Application rendered so far: Argo CD
   * ignores that field in patches, and so does this renderer; the ApplicationSet shows a warning.
   */
  public boolean patchedProjectIgnored() {
    return patchedProjectIgnored.get();
  }

  /**
   * Labels and annotations are string maps in Kubernetes: a template or patch that renders {@code
   * replicas: 3} there means the string "3", as Argo CD's typed round trip reads it; a map or list
   * is refused.
   */
  private static void stringValues(ObjectNode meta, String field) throws TemplateException {
    JsonNode map = meta.get(field);
    if (map == null || map.isNull()) {
      return;
    }
    if (!map.isObject()) {
      throw new TemplateException(
          "metadata." + field + " must be a map of strings, not " + map.getNodeType());
    }
    ObjectNode strings = (ObjectNode) map;
    Iterator<Map.Entry<String, JsonNode>> entries = map.deepCopy().fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      JsonNode value = entry.getValue();
      if (value.isContainerNode()) {
        throw new TemplateException(
            "metadata."
                + field
                + "."
                + entry.getKey()
                + " must be a string, not "
                + value.getNodeType());
      }
      if (!value.isTextual()) {
        strings.put(entry.getKey(), value.isNull() ? "" : value.asText());
      }
    }
  }

  /**
   * The project is fixed by the template, literally: whatever rendered it otherwise (a templated
   * value or key, however it slipped past validation) would let a template choose its own
   * AppProject, which permission checks never saw.
   */
  private void checkProject(JsonNode renderedSpec) throws TemplateException {
    String rendered = projectText(renderedSpec.path("project"));
    if (project == null || !project.equals(rendered)) {
      throw new TemplateException(
          "template.spec.project: the rendered Application's project is "
              + (rendered == null ? renderedSpec.path("project").toString() : "'" + rendered + "'")
              + " but its template names "
              + (project == null ? "no literal project" : "'" + project + "'")
              + "; a template may not choose its own AppProject");
    }
  }

  /** A project as text: empty when absent, null when it is not a string. */
  private static String projectText(JsonNode project) {
    if (project == null || project.isMissingNode() || project.isNull()) {
      return "";
    }
    return project.isTextual() ? project.textValue() : null;
  }

  private static JsonNode renderedSpecOf(ObjectNode document) {
    return document.path("spec");
  }

  /** Source paths are relative to the repository and may not leave it (see DESIGN.md). */
  private static void checkSourcePaths(JsonNode spec) throws TemplateException {
    checkSourcePath(spec.path("source"), "template.spec.source.path");
    int index = 0;
    for (JsonNode source : spec.path("sources")) {
      checkSourcePath(source, "template.spec.sources[" + index++ + "].path");
    }
  }

  private static void checkSourcePath(JsonNode source, String field) throws TemplateException {
    JsonNode path = source.path("path");
    if (!path.isTextual() || path.textValue().isEmpty() || path.textValue().equals(".")) {
      return;
    }
    String text = path.textValue();
    boolean escapes = text.startsWith("/") || text.contains("\\") || text.indexOf('\0') >= 0;
    for (String segment : text.split("/")) {
      escapes |= segment.equals("..");
    }
    if (escapes) {
      throw new TemplateException(
          field
              + ": '"
              + text
              + "' leaves the repository; source paths must be relative and without '..'");
    }
  }

  /** RFC 1123 subdomain, what Kubernetes requires of an object name. */
  static boolean isDnsSubdomain(String name) {
    if (name.length() > Names.MAX_DNS_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      boolean edge = i == 0 || i == name.length() - 1;
      if (!alphanumeric && (edge || (c != '-' && c != '.'))) {
        return false;
      }
    }
    return true;
  }

  /** JSON merge patch (RFC 7386): objects merge, null deletes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  private static void copy(ObjectNode from, String field, ObjectNode to) {
    JsonNode value = from.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (value instanceof ArrayNode || value instanceof ObjectNode || value.isTextual()) {
      to.set(field, value);
    } else {
      to.put(field, value.asText());
    }
  }
}
