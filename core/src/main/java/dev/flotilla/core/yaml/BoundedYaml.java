package dev.flotilla.core.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one loader for YAML and JSON from untrusted sources (repositories, API requests, CLI input
 * files, template functions): every document is bounded in input size, in nesting and, above all,
 * in size <em>after alias expansion</em>, so a hostile document is refused with a clear {@link
 * YamlException} instead of exhausting memory.
 *
 * <p>Limits ({@link YamlLimits}; {@code new BoundedYaml(maxBytes)} uses {@link
 * YamlLimits#forBytes}):
 *
 * <ul>
 *   <li>input: at most {@code maxBytes} UTF-8 bytes ("document is N bytes, more than the limit");
 *   <li>expansion, every alias counted as a full copy: at most {@code maxNodes} nodes and {@code
 *       maxBytes} bytes of scalar text ("document expands to more than N nodes, the limit (YAML
 *       aliases?)"); for {@link #readAll} the budget is for the whole stream;
 *   <li>at most {@code maxAliases} aliases to collections, {@value #MAX_NESTING_DEPTH} levels of
 *       nesting, no recursive structures.
 * </ul>
 *
 * <p>The expansion is measured on SnakeYAML's node graph, where an alias is a shared reference,
 * before anything is constructed: refusing a 600-byte bomb that would expand to 43 million nodes
 * costs microseconds and no memory. Timestamps stay the text written, as in Kubernetes' own
 * YAML-to-JSON conversion. Instances are immutable and thread-safe.
 */
public final class BoundedYaml {

  /** Aliases allowed for collections; Kubernetes manifests rarely use any. */
  public static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

  /** Nesting deeper than this is refused (stack safety), in YAML and in JSON. */
  public static final int MAX_NESTING_DEPTH = 100;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final YamlLimits limits;
  private final BoundedJson json;

  /**
   * @param maxBytes the largest document accepted, in UTF-8 bytes, before and after expansion
   */
  public BoundedYaml(int maxBytes) {
    this(YamlLimits.forBytes(maxBytes));
  }

  public BoundedYaml(YamlLimits limits) {
    this.limits = limits;
    this.json = new BoundedJson(limits);
  }

  public int maxBytes() {
    return limits.maxBytes();
  }

  public YamlLimits limits() {
    return limits;
  }

  /**
   * Parses one YAML (or JSON) document into a Jackson tree; an empty document gives null. More than
   * one document is an error.
   */
  public JsonNode read(String text) throws YamlException {
    checkSize(text);
    try {
      Composer composer = composer(text);
      Node node = composer.getSingleNode();
      new ExpansionBudget(limits).charge(node);
      return node == null ? null : toNode(new PlainConstructor(options()).construct(node), 0);
    } catch (YAMLException e) {
      throw refused(e);
    } catch (IllegalArgumentException e) {
      throw new YamlException(e.getMessage(), e);
    }
  }

  /** Parses one YAML document from bytes (UTF-8). */
  public JsonNode read(byte[] bytes) throws YamlException {
    if (bytes.length > limits.maxBytes()) {
      throw tooLarge(bytes.length);
    }
    return read(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Parses a stream of YAML documents ({@code ---} separated) one at a time. The input size and the
   * expansion budget apply to the whole stream, hence to each document; an empty document gives a
   * {@link com.fasterxml.jackson.databind.node.NullNode}. A refusal names the document ("document
   * 3: ...").
   */
  public List<JsonNode> readAll(String text) throws YamlException {
    checkSize(text);
    List<JsonNode> documents = new ArrayList<>();
    ExpansionBudget budget = new ExpansionBudget(limits);
    PlainConstructor constructor = new PlainConstructor(options());
    try {
      Composer composer = composer(text);
      while (composer.checkNode()) {
        Node node = composer.getNode();
        try {
          budget.charge(node);
        } catch (YamlException e) {
          throw new YamlException("document " + (documents.size() + 1) + ": " + e.getMessage(), e);
        }
        documents.add(node == null ? NODES.nullNode() : toNode(constructor.construct(node), 0));
      }
    } catch (YAMLException e) {
      throw refused(e);
    } catch (IllegalArgumentException e) {
      throw new YamlException(e.getMessage(), e);
    }
    return documents;
  }

  /**
   * Parses one JSON document with Jackson (faster than YAML for large JSON), within the same size
   * and nesting limits. Empty input gives null.
   */
  public JsonNode readJson(String text) throws YamlException {
    checkSize(text);
    return json.read(text);
  }

  /** Parses a sequence of JSON values (concatenated or whitespace separated). */
  public List<JsonNode> readJsonAll(String text) throws YamlException {
    checkSize(text);
    return json.readAll(text);
  }

  /**
   * Reads one YAML document from a local file, reading at most {@code maxBytes + 1} bytes of it.
   *
   * @throws IOException when the file cannot be read or is refused; the message names the file
   */
  public JsonNode readFile(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // One byte more than allowed is enough to know the file is too large.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limits.maxBytes() + 1L));
    }
    if (bytes.length > limits.maxBytes()) {
      throw new IOException(file + ": larger than the limit of " + limits.maxBytes() + " bytes");
    }
    try {
      return read(bytes);
    } catch (YamlException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private void checkSize(String text) throws YamlException {
    // A char is at most 3 UTF-8 bytes; count precisely only near the limit.
    if ((long) text.length() * 3 > limits.maxBytes()) {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > limits.maxBytes()) {
        throw tooLarge(bytes);
      }
    }
  }

  private YamlException tooLarge(long bytes) {
    return new YamlException(
        "document is " + bytes + " bytes, more than the limit of " + limits.maxBytes());
  }

  private LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setCodePointLimit(Math.max(limits.maxBytes(), 1024));
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private Composer composer(String text) {
    LoaderOptions options = options();
    return new Composer(
        new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
  }

  private YamlException refused(YAMLException e) {
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      String problem = marked.getProblem() == null ? oneLine(e.getMessage()) : marked.getProblem();
      String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
      return new YamlException(
          "invalid YAML at line "
              + (mark.getLine() + 1)
              + ", column "
              + (mark.getColumn() + 1)
              + ": "
              + problem
              + context,
          e);
    }
    // Alias, nesting and size limits arrive as plain YAMLExceptions: say which limit in our words.
    String message = oneLine(e.getMessage());
    if (message.startsWith("Nesting Depth exceeded")) {
      return new YamlException(
          "document nests deeper than " + MAX_NESTING_DEPTH + " levels, the limit", e);
    }
    if (message.startsWith("Number of aliases for non-scalar nodes exceeds")) {
      return new YamlException(
          "document has more than "
              + limits.maxAliases()
              + " aliases to mappings or sequences, the limit",
          e);
    }
    return new YamlException(message, e);
  }

  private static String oneLine(String message) {
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
    if (value instanceof Collection<?> list) {
      // Sequences, and !!set (a set of keys) as JSON has no sets.
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
   * of turning them into dates; constructs documents that were measured first.
   */
  private static final class PlainConstructor extends SafeConstructor {
    PlainConstructor(LoaderOptions options) {
      super(options);
      // org.yaml.snakeyaml.Yaml copies this from the options; a bare constructor does not.
      setAllowDuplicateKeys(options.isAllowDuplicateKeys());
      this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    Object construct(Node node) {
      return Tag.NULL.equals(node.getTag()) ? null : constructDocument(node);
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
