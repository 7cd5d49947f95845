package dev.flotilla.generators.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameter values as Argo CD sees them after Go's JSON decoding: maps, lists, strings, booleans,
 * {@code null}, and numbers as {@code double} (Go float64) unless a template function made an
 * integer ({@code long}). Printing follows Go's {@code fmt} {@code %v}, which is what both template
 * engines write into an Application.
 */
public final class Values {

  private Values() {}

  /** Converts a JSON/YAML tree to parameter values. */
  public static Object fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        map.put(field.getKey(), fromJson(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        list.add(fromJson(item));
      }
      return list;
    }
    if (node.isBinary()) {
      return node.asText();
    }
    return node.asText();
  }

  /** Converts parameter values back to a JSON tree. */
  public static JsonNode toJson(Object value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value == null) {
      return nodes.nullNode();
    }
    if (value instanceof String s) {
      return nodes.textNode(s);
    }
    if (value instanceof Boolean b) {
      return nodes.booleanNode(b);
    }
    if (value instanceof Double d) {
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        return nodes.numberNode(d.longValue());
      }
      return nodes.numberNode(d);
    }
    if (value instanceof Number n) {
      return nodes.numberNode(n.longValue());
    }
    if (value instanceof Map<?, ?> map) {
      var object = nodes.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
      }
      return object;
    }
    if (value instanceof List<?> list) {
      var array = nodes.arrayNode();
      for (Object item : list) {
        array.add(toJson(item));
      }
      return array;
    }
    return nodes.textNode(String.valueOf(value));
  }

  /** Go's {@code fmt.Sprint(value)}. */
  public static String format(Object value) {
    StringBuilder out = new StringBuilder();
    format(value, out);
    return out.toString();
  }

  private static void format(Object value, StringBuilder out) {
    if (value == null) {
      out.append("<nil>");
    } else if (value instanceof String s) {
      out.append(s);
    } else if (value instanceof Double d) {
      out.append(formatFloat(d));
    } else if (value instanceof Float f) {
      out.append(formatFloat(f.doubleValue()));
    } else if (value instanceof Map<?, ?> map) {
      out.append("map[");
      boolean first = true;
      for (Map.Entry<?, ?> entry : sorted(map).entrySet()) {
        if (!first) {
          out.append(' ');
        }
        first = false;
        out.append(entry.getKey()).append(':');
        format(entry.getValue(), out);
      }
      out.append(']');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(' ');
        }
        format(list.get(i), out);
      }
      out.append(']');
    } else {
      out.append(value);
    }
  }

  private static Map<String, Object> sorted(Map<?, ?> map) {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      sorted.put(String.valueOf(entry.getKey()), entry.getValue());
    }
    return sorted;
  }

  /**
   * Go's {@code %v} for float64: the shortest decimal that reads back the same, switching to
   * exponent form when the exponent is below -4 or at least 6, as Go's 'g' with shortest precision
   * does ({@code 1000000 -> "1e+06"}, a classic surprise in Argo CD and Helm output).
   */
  public static String formatFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    StringBuilder out = new StringBuilder();
    if (d < 0) {
      out.append('-');
    }
    if (exponent < -4 || exponent >= 6) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
      return out.toString();
    }
    out.append(decimal.toPlainString());
    return out.toString();
  }

  /**
   * Flattens nested maps and lists into dotted keys ({@code a.b}, {@code list.0}) with values
   * printed as Go does, which is how fasttemplate sees structured parameters.
   */
  public static void flatten(String prefix, Object value, Map<String, Object> into) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key =
            prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
        flatten(key, entry.getValue(), into);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix.isEmpty() ? String.valueOf(i) : prefix + "." + i, list.get(i), into);
      }
    } else {
      into.put(prefix, format(value));
    }
  }
}
