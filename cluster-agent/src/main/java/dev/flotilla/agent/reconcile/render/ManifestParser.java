package dev.flotilla.agent.reconcile.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns manifest text (multi-document YAML, or JSON) into Kubernetes objects, within {@link
 * RenderLimits}: a document with too many aliases (a "billion laughs" YAML bomb), nesting or text
 * is refused before it can expand in memory.
 *
 * <p>YAML is read with SnakeYAML's composer (which enforces the alias limit; Jackson's streaming
 * YAML parser does not expand aliases at all) and, like Kubernetes' own YAML decoding, leaves
 * timestamps as strings.
 */
public final class ManifestParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RenderLimits limits;

  public ManifestParser(RenderLimits limits) {
    this.limits = limits;
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
    List<JsonNode> documents =
        looksLikeJson(text) ? parseJson(text, source) : parseYaml(text, source);
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

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  private static List<JsonNode> parseJson(String text, String source) throws RenderException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        docs.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      throw new RenderException(
          source
              + ": invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (java.io.IOException e) {
      throw new RenderException(source + ": cannot read: " + e.getMessage(), e);
    }
    return docs;
  }

  private List<JsonNode> parseYaml(String text, String source) throws RenderException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(limits.maxAliasesPerDocument());
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(100);
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()));
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options),
            new Representer(new DumperOptions()),
            new DumperOptions(),
            options,
            new KubernetesResolver());
    List<JsonNode> docs = new ArrayList<>();
    try {
      for (Object doc : yaml.loadAll(text)) {
        docs.add(JSON.valueToTree(stringKeys(doc)));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String where =
          mark == null
              ? ""
              : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new RenderException(source + ": invalid YAML" + where + ": " + problem + context, e);
    } catch (YAMLException e) {
      // Alias, nesting and size limits are reported as plain YAMLExceptions.
      throw new RenderException(source + ": refused: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RenderException(source + ": cannot convert to JSON: " + e.getMessage(), e);
    }
    return docs;
  }

  /** JSON objects have string keys; YAML allows any (e.g. {@code 80: http}). */
  private static Object stringKeys(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), stringKeys(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(stringKeys(v)));
      return out;
    }
    return value;
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
      throw new RenderException(
          source + " document " + document + " (" + kind + ") has no metadata.name");
    }
    out.add(obj);
  }

  /**
   * YAML 1.1 scalars as Kubernetes reads them: booleans, numbers and nulls are typed, but
   * timestamps stay strings (a date in an annotation must not become a java.util.Date).
   */
  private static final class KubernetesResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
      // INT before FLOAT: the float pattern also matches integers.
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
