package dev.flotilla.agent.reconcile.render;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Turns manifest text (multi-document YAML, or JSON) into Kubernetes objects, within {@link
 * RenderLimits}: a document with too many aliases (a "billion laughs" YAML bomb) or too much text
 * is refused before it can expand in memory.
 */
public final class ManifestParser {

  private final ObjectMapper yaml;
  private final RenderLimits limits;

  public ManifestParser(RenderLimits limits) {
    this.limits = limits;
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(limits.maxAliasesPerDocument());
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()));
    // "data:" with nothing after it is null in Kubernetes' YAML, not an empty string.
    this.yaml =
        new ObjectMapper(
            YAMLFactory.builder()
                .loaderOptions(options)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build());
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
    List<ObjectNode> objects = new ArrayList<>();
    int document = 0;
    try (JsonParser parser = yaml.getFactory().createParser(text);
        MappingIterator<JsonNode> docs = yaml.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        document++;
        JsonNode doc = docs.nextValue();
        if (doc == null
            || doc.isNull()
            || doc.isMissingNode()
            || (doc.isObject() && doc.isEmpty())) {
          continue;
        }
        collect(doc, source, document, objects);
        if (objects.size() > limits.maxObjects()) {
          throw new RenderException(
              source + " yields more than " + limits.maxObjects() + " objects, the limit");
        }
      }
    } catch (JsonProcessingException e) {
      throw new RenderException(
          source + ": invalid YAML" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RenderException(source + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // SnakeYAML reports the alias and size limits as unchecked YAMLExceptions.
      throw new RenderException(source + ": refused: " + e.getMessage(), e);
    }
    return objects;
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

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
