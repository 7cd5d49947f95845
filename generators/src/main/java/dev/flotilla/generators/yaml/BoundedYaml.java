package dev.flotilla.generators.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML (and JSON, a subset of it) from untrusted sources with hard bounds, so that a hostile
 * document (billion laughs, deep nesting, huge scalars) is refused with an error instead of
 * exhausting memory.
 */
public final class BoundedYaml {

  /** Aliases allowed for collections; Kubernetes manifests rarely use any. */
  public static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

  /** Nesting deeper than this is refused (stack safety). */
  public static final int MAX_NESTING_DEPTH = 100;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final int maxBytes;

  /**
   * @param maxBytes the largest document accepted, in UTF-8 bytes
   */
  public BoundedYaml(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** Parses one YAML document into a Jackson tree; an empty document gives a null node. */
  public JsonNode read(String text) throws YamlException {
    checkSize(text);
    try {
      Object value = newYaml().load(text);
      return toNode(value, 0);
    } catch (YAMLException e) {
      throw new YamlException(firstLine(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new YamlException(e.getMessage(), e);
    }
  }

  /** Parses one YAML document from bytes (UTF-8). */
  public JsonNode read(byte[] bytes) throws YamlException {
    if (bytes.length > maxBytes) {
      throw new YamlException(
          "document is " + bytes.length + " bytes, more than the limit of " + maxBytes);
    }
    return read(new String(bytes, StandardCharsets.UTF_8));
  }

  private void checkSize(String text) throws YamlException {
    // A char is at most 3 UTF-8 bytes; count precisely only near the limit.
    if ((long) text.length() * 3 > maxBytes) {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxBytes) {
        throw new YamlException(
            "document is " + bytes + " bytes, more than the limit of " + maxBytes);
      }
    }
  }

  private Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setCodePointLimit(Math.max(maxBytes, 1024));
    options.setAllowRecursiveKeys(false);
    return new Yaml(
        new PlainConstructor(options),
        new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
        new org.yaml.snakeyaml.DumperOptions(),
        options);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed YAML";
    }
    return message.strip().replace('\n', ' ').replaceAll("\\s+", " ");
  }

  private static JsonNode toNode(Object value, int depth) {
    if (depth > MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException("document nests deeper than " + MAX_NESTING_DEPTH);
    }
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set(String.valueOf(entry.getKey()), toNode(entry.getValue(), depth + 1));
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      for (Object item : list) {
        array.add(toNode(item, depth + 1));
      }
      return array;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof BigInteger big) {
      return NODES.numberNode(big);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof byte[] bytes) {
      return NODES.binaryNode(bytes);
    }
    return NODES.textNode(String.valueOf(value));
  }

  /**
   * Keeps YAML timestamps as the text written, as Kubernetes' YAML-to-JSON conversion does, instead
   * of turning them into dates.
   */
  private static final class PlainConstructor extends SafeConstructor {
    PlainConstructor(LoaderOptions options) {
      super(options);
      this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    @Override
    protected Object constructObject(Node node) {
      if (node instanceof ScalarNode scalar && Tag.TIMESTAMP.equals(scalar.getTag())) {
        return scalar.getValue();
      }
      return super.constructObject(node);
    }
  }
}
