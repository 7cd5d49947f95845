package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.template.StringTemplate;
import dev.flotilla.generators.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One parsed Go template, executable many times; immutable and thread-safe. */
final class GoTemplate implements StringTemplate {

  /** Go's "invalid" reflect value: a missing map key, printed as {@code <no value>}. */
  static final Object NO_VALUE =
      new Object() {
        @Override
        public String toString() {
          return "<no value>";
        }
      };

  enum MissingKey {
    DEFAULT,
    ZERO,
    ERROR
  }

  static final int MAX_TEMPLATE_DEPTH = 100;
  static final int MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

  final String text;
  final Parser.Parsed parsed;
  final MissingKey missingKey;
  final Functions functions;
  final int tplDepth;

  GoTemplate(String text, Parser.Parsed parsed, MissingKey missingKey, Functions functions) {
    this(text, parsed, missingKey, functions, 0);
  }

  GoTemplate(
      String text, Parser.Parsed parsed, MissingKey missingKey, Functions functions, int tplDepth) {
    this.text = text;
    this.parsed = parsed;
    this.missingKey = missingKey;
    this.functions = functions;
    this.tplDepth = tplDepth;
  }

  /** Nested {@code tpl} calls are bounded so a template cannot recurse without end. */
  static final int MAX_TPL_DEPTH = 10;

  @Override
  public boolean isLiteral() {
    return parsed.root().stream().allMatch(n -> n instanceof Node.Text)
        && parsed.defines().isEmpty();
  }

  @Override
  public String render(Map<String, Object> params) throws TemplateException {
    try {
      return execute(params);
    } catch (GoTemplateException e) {
      throw new TemplateException(
          "failed to execute go template " + text + ": " + e.getMessage(), e);
    }
  }

  /** Runs the template with {@code data} as dot. */
  String execute(Object data) throws GoTemplateException {
    Execution execution = new Execution(this, data);
    if (parsed.root().size() == 1
        && parsed.root().get(0) instanceof Node.Action action
        && action.pipeline().variables().isEmpty()) {
      // "{{ .path.basename }}" yields the parameter's own string rather than a copy.
      Object value = execution.pipeline(action.pipeline(), data);
      if (value instanceof String s) {
        return s;
      }
      execution.print(value);
      return execution.out.toString();
    }
    execution.walk(parsed.root(), data, 0);
    return execution.out.toString();
  }

  static boolean truth(Object value) {
    if (value == null || value == NO_VALUE) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Long l) {
      return l != 0;
    }
    if (value instanceof Double d) {
      return d != 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (value instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  static List<Map.Entry<String, Object>> sortedEntries(Map<?, ?> map) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    return new ArrayList<>(sorted.entrySet());
  }
}
