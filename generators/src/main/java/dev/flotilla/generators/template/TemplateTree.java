package dev.flotilla.generators.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree whose string keys and values are compiled templates. Compiling once per
 * ApplicationSet and rendering once per parameter set is what keeps 100,000 Applications cheap.
 * Non-string values are immutable Jackson nodes and are shared between rendered documents.
 */
public abstract sealed class TemplateTree {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Renders with one parameter set into a fresh tree. */
  public abstract JsonNode render(Map<String, Object> params) throws TemplateException;

  /** True when no string below holds a template action. */
  public abstract boolean isLiteral();

  /**
   * Compiles {@code node}; {@code path} names it in error messages (e.g. {@code
   * spec.template.spec}).
   */
  public static TemplateTree compile(JsonNode node, TemplateEngine engine, String path)
      throws TemplateException {
    if (node.isObject()) {
      List<StringTemplate> keys = new ArrayList<>();
      List<TemplateTree> values = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isNull()) {
          continue;
        }
        String fieldPath = path + "." + field.getKey();
        keys.add(compileString(field.getKey(), engine, fieldPath));
        values.add(compile(field.getValue(), engine, fieldPath));
      }
      return new ObjectTree(
          keys.toArray(StringTemplate[]::new), values.toArray(TemplateTree[]::new));
    }
    if (node.isArray()) {
      List<TemplateTree> items = new ArrayList<>();
      int index = 0;
      for (JsonNode item : node) {
        items.add(compile(item, engine, path + "[" + index++ + "]"));
      }
      return new ArrayTree(items.toArray(TemplateTree[]::new));
    }
    if (node.isTextual()) {
      StringTemplate template = compileString(node.textValue(), engine, path);
      return new TextTree(template, path);
    }
    return new ValueTree(node);
  }

  private static StringTemplate compileString(String text, TemplateEngine engine, String path)
      throws TemplateException {
    try {
      return engine.compile(text);
    } catch (TemplateException e) {
      throw new TemplateException(path + ": " + e.getMessage(), e);
    }
  }

  private static final class ValueTree extends TemplateTree {
    private final JsonNode value;

    ValueTree(JsonNode value) {
      this.value = value;
    }

    @Override
    public JsonNode render(Map<String, Object> params) {
      return value;
    }

    @Override
    public boolean isLiteral() {
      return true;
    }
  }

  private static final class TextTree extends TemplateTree {
    private final StringTemplate template;
    private final String path;
    private final JsonNode literal;

    TextTree(StringTemplate template, String path) throws TemplateException {
      this.template = template;
      this.path = path;
      this.literal = template.isLiteral() ? NODES.textNode(template.render(Map.of())) : null;
    }

    @Override
    public JsonNode render(Map<String, Object> params) throws TemplateException {
      if (literal != null) {
        return literal;
      }
      try {
        return NODES.textNode(template.render(params));
      } catch (TemplateException e) {
        throw new TemplateException(path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean isLiteral() {
      return literal != null;
    }
  }

  private static final class ObjectTree extends TemplateTree {
    private final StringTemplate[] keys;
    private final TemplateTree[] values;

    ObjectTree(StringTemplate[] keys, TemplateTree[] values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    public JsonNode render(Map<String, Object> params) throws TemplateException {
      ObjectNode object = new ObjectNode(NODES, new CompactFieldMap(keys.length));
      for (int i = 0; i < keys.length; i++) {
        object.set(keys[i].render(params), values[i].render(params));
      }
      return object;
    }

    @Override
    public boolean isLiteral() {
      for (int i = 0; i < keys.length; i++) {
        if (!keys[i].isLiteral() || !values[i].isLiteral()) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class ArrayTree extends TemplateTree {
    private final TemplateTree[] items;

    ArrayTree(TemplateTree[] items) {
      this.items = items;
    }

    @Override
    public JsonNode render(Map<String, Object> params) throws TemplateException {
      ArrayNode array = NODES.arrayNode(items.length);
      for (TemplateTree item : items) {
        array.add(item.render(params));
      }
      return array;
    }

    @Override
    public boolean isLiteral() {
      for (TemplateTree item : items) {
        if (!item.isLiteral()) {
          return false;
        }
      }
      return true;
    }
  }
}
