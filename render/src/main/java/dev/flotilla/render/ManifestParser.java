package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.core.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns manifest text (multi-document YAML, or JSON) into Kubernetes objects, within {@link
 * RenderLimits}, through the one bounded loader ({@link BoundedYaml}): a stream whose documents
 * would expand past {@code maxFileBytes} of text or {@code max(100,000, maxFileBytes / 4)} nodes in
 * all (a YAML bomb, even one under the alias limit), or nest deeper than {@value
 * BoundedYaml#MAX_NESTING_DEPTH} levels, is refused before it expands in memory. Like Kubernetes'
 * own YAML decoding, timestamps stay strings.
 */
public final class ManifestParser {

  private final RenderLimits limits;
  private final BoundedYaml loader;

  public ManifestParser(RenderLimits limits) {
    this.limits = limits;
    int maxBytes = (int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes());
    this.loader =
        new BoundedYaml(
            new YamlLimits(
                maxBytes,
                Math.max(YamlLimits.MIN_NODES, maxBytes / 4),
                limits.maxAliasesPerDocument()));
  }

  /**
   * Parses {@code text}, which came from {@code source} (a file path or tool name, for messages).
   * {@code kind: List} objects are expanded into their items; empty documents are skipped.
   */
  public List<ObjectNode> parse(String text, String source) throws RenderException {
    if (text.length() > limits.maxFileBytes()) {
      throw new RenderException(
          source + " is " + text.length() + " bytes, over the limit of " + limits.maxFileBytes());
    }
    List<JsonNode> documents = parseDocuments(text, source, looksLikeJson(text));
    List<ObjectNode> objects = new ArrayList<>();
    int document = 0;
    for (JsonNode doc : documents) {
      document++;
      if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
        continue;
      }
      collect(doc, source, document, objects);
      if (objects.size() > limits.maxObjects()) {
        throw new RenderException(
            source + " yields more than " + limits.maxObjects() + " objects, the limit");
      }
    }
    return objects;
  }

  /**
   * Refuses Helm values (a values file, or inline {@code values}) that are not YAML within the same
   * limits, before Helm reads them: Helm's own YAML decoder expands aliases, in the agent's
   * process.
   */
  public void checkValues(String text, String source) throws RenderException {
    if (text.length() > limits.maxFileBytes()) {
      throw new RenderException(
          source + " is " + text.length() + " bytes, over the limit of " + limits.maxFileBytes());
    }
    // Always YAML: Helm reads values as YAML, and flow-style YAML is not always JSON.
    parseDocuments(text, source, false);
  }

  /** {@link #checkValues} for a file, read only when it is within the size limit. */
  public void checkValuesFile(Path file, String source) throws RenderException {
    try {
      long size = Files.size(file);
      if (size > limits.maxFileBytes()) {
        throw new RenderException(
            source + " is " + size + " bytes, over the limit of " + limits.maxFileBytes());
      }
      checkValues(Files.readString(file), source);
    } catch (IOException e) {
      throw new RenderException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  private List<JsonNode> parseDocuments(String text, String source, boolean json)
      throws RenderException {
    try {
      return json ? loader.readJsonAll(text) : loader.readAll(text);
    } catch (YamlException e) {
      // The loader's messages name the limit or the line; the source names the file.
      String message = e.getMessage();
      boolean syntax = message.startsWith("invalid ");
      throw new RenderException(source + (syntax ? ": " : ": refused: ") + message, e);
    }
  }

  private static void collect(JsonNode doc, String source, int document, List<ObjectNode> out)
      throws RenderException {
    if (!doc.isObject()) {
      throw new RenderException(
          source
              + " document "
              + document
              + " is a "
              + doc.getNodeType()
              + ", not a Kubernetes object");
    }
    ObjectNode obj = (ObjectNode) doc;
    String kind = obj.path("kind").asText("");
    String apiVersion = obj.path("apiVersion").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new RenderException(
          source + " document " + document + " has no " + (kind.isEmpty() ? "kind" : "apiVersion"));
    }
    if (kind.endsWith("List") && obj.path("items").isArray()) {
      for (JsonNode item : obj.path("items")) {
        collect(item, source, document, out);
      }
      return;
    }
    if (obj.path("metadata").path("name").asText("").isEmpty()) {
      // A hook may have generateName instead: each sync operation names it afresh.
      boolean named;
      try {
        named = !obj.path("metadata").path("generateName").asText("").isEmpty() && runsAsHook(obj);
      } catch (IllegalArgumentException e) {
        throw new RenderException(source + " document " + document + ": " + e.getMessage());
      }
      if (!named) {
        throw new RenderException(
            source
                + " document "
                + document
                + " ("
                + kind
                + ") has no metadata.name"
                + (obj.path("metadata").has("generateName")
                    ? " (generateName is only for resource hooks)"
                    : ""));
      }
    }
    out.add(obj);
  }

  private static final java.util.Set<String> ARGO_SYNC_PHASES =
      java.util.Set.of("PreSync", "Sync", "PostSync", "SyncFail");
  private static final java.util.Set<String> ARGO_NOT_RUN =
      java.util.Set.of("Skip", "PreDelete", "PostDelete");
  private static final java.util.Set<String> HELM_SYNC_EVENTS =
      java.util.Set.of("pre-install", "pre-upgrade", "post-install", "post-upgrade");

  /**
   * True when a sync runs {@code obj} as a resource hook (Argo CD's or Helm's annotation naming a
   * sync phase): only such an object may have a generateName. The agent's hook planner reads the
   * annotations in full; this is the part the renderer needs, so that the renderer stays free of
   * the agent's sync code.
   *
   * @throws IllegalArgumentException when Argo CD's hook annotation holds a value it does not
   *     define
   */
  static boolean runsAsHook(JsonNode obj) {
    JsonNode annotations = obj.path("metadata").path("annotations");
    if (annotations.has("argocd.argoproj.io/hook")) {
      boolean phase = false;
      for (String v : annotations.path("argocd.argoproj.io/hook").asText("").split(",")) {
        String value = v.trim();
        if (ARGO_SYNC_PHASES.contains(value)) {
          phase = true;
        } else if (!value.isEmpty() && !ARGO_NOT_RUN.contains(value)) {
          throw new IllegalArgumentException(
              "argocd.argoproj.io/hook of "
                  + obj.path("kind").asText()
                  + " "
                  + obj.path("metadata").path("generateName").asText("")
                  + "* is '"
                  + value
                  + "'; expected a comma-separated list of PreSync, Sync, PostSync, SyncFail,"
                  + " Skip, PreDelete, PostDelete");
        }
      }
      return phase;
    }
    for (String v : annotations.path("helm.sh/hook").asText("").split(",")) {
      if (HELM_SYNC_EVENTS.contains(v.trim())) {
        return true;
      }
    }
    return false;
  }
}
