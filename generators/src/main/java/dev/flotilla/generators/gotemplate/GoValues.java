package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.BuiltinFunctions.index;

import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.generators.template.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's view of template values: type checks, conversions, comparison and printing shared by every
 * function family.
 */
final class GoValues {

  private GoValues() {}

  static final BoundedYaml FROM_YAML = new BoundedYaml(1024 * 1024);

  /** A Go {@code string} parameter: only strings are accepted, as Go's type check does. */
  static String string(List<Object> args, int index) throws GoTemplateException {
    Object value = args.get(index);
    if (value instanceof String s) {
      return s;
    }
    if (value == null) {
      throw new GoTemplateException("invalid value; expected string");
    }
    throw new GoTemplateException("wrong type for value; expected string; got " + typeOf(value));
  }

  static String str(Object value) throws GoTemplateException {
    return string(java.util.Collections.singletonList(value), 0);
  }

  /** Sprig's strval: any value printed as Go does. */
  static String strval(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return Values.format(value);
  }

  static long toLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Number n) {
      return (long) n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        String t = s.strip();
        if (t.contains(".") || t.contains("e") || t.contains("E")) {
          return (long) Double.parseDouble(t);
        }
        return Long.decode(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static double toDouble(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static boolean empty(Object value) {
    return !GoTemplate.truth(value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) throws GoTemplateException {
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    if (value == null) {
      return List.of();
    }
    throw new GoTemplateException("cannot use type " + typeOf(value) + " as a list");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) throws GoTemplateException {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new GoTemplateException(
        "wrong type for value; expected map[string]interface {}; got " + typeOf(value));
  }

  static List<Object> strslice(Object value) {
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        if (x != null) {
          out.add(x);
        }
      }
      return out;
    }
    if (value == null) {
      return List.of();
    }
    return List.of(strval(value));
  }

  static int length(Object value) throws GoTemplateException {
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8).length;
    }
    if (value instanceof List<?> l) {
      return l.size();
    }
    if (value instanceof Map<?, ?> m) {
      return m.size();
    }
    if (value == null) {
      throw new GoTemplateException("len of nil pointer");
    }
    throw new GoTemplateException("len of type " + typeOf(value));
  }

  static boolean equal(Object a, Object b) throws GoTemplateException {
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      throw new GoTemplateException(
          "non-comparable type " + typeOf(a instanceof Map || a instanceof List ? a : b));
    }
    return equalLenient(a, b);
  }

  static boolean equalLenient(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return java.util.Objects.equals(a, b);
  }

  static int compare(Object a, Object b) throws GoTemplateException {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a == null || b == null || a instanceof Map || a instanceof List || a instanceof Boolean) {
      throw new GoTemplateException("invalid type for comparison");
    }
    throw new GoTemplateException("incompatible types for comparison");
  }

  static String kindOf(Object value) {
    if (value == null) {
      return "invalid";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Long) {
      return "int64";
    }
    if (value instanceof Double) {
      return "float64";
    }
    if (value instanceof Map) {
      return "map";
    }
    if (value instanceof List) {
      return "slice";
    }
    return "struct";
  }

  static String typeOf(Object value) {
    if (value == null) {
      return "<nil>";
    }
    if (value instanceof Map) {
      return "map[string]interface {}";
    }
    if (value instanceof List) {
      return "[]interface {}";
    }
    return kindOf(value);
  }

  /** Go's encoders write map keys sorted; so do we. */
  static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(sorted(item));
      }
      return out;
    }
    return value;
  }

  /** Go's strconv.Quote. */
  static String goQuote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String goSprint(List<Object> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      // Go's Sprint puts a space between operands when neither is a string.
      if (i > 0 && !(arg instanceof String) && !(args.get(i - 1) instanceof String)) {
        out.append(' ');
      }
      out.append(Values.format(arg));
    }
    return out.toString();
  }

  static List<Object> range(long start, long stop, long step) {
    List<Object> out = new ArrayList<>();
    if (step == 0) {
      return out;
    }
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.add(i);
      if (out.size() > 1_000_000) {
        break;
      }
    }
    return out;
  }
}
