package dev.flotilla.generators.gotemplate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code encoding/json} output for template values, byte for byte: sorted map keys, HTML
 * characters escaped ({@code <} as {@code \u003c}), floats in Go's shortest form, and {@code
 * MarshalIndent}'s layout for the pretty variant.
 */
final class GoJson {

  private GoJson() {}

  static String write(Object value, boolean pretty) {
    StringBuilder out = new StringBuilder();
    write(value, pretty, 0, out);
    return out.toString();
  }

  private static void write(Object value, boolean pretty, int depth, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Double d) {
      out.append(number(d));
    } else if (value instanceof Number n) {
      out.append(n.longValue());
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(pretty, depth + 1, out);
        string(entry.getKey(), out);
        out.append(pretty ? ": " : ":");
        write(entry.getValue(), pretty, depth + 1, out);
      }
      newline(pretty, depth, out);
      out.append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        newline(pretty, depth + 1, out);
        write(list.get(i), pretty, depth + 1, out);
      }
      newline(pretty, depth, out);
      out.append(']');
    } else {
      string(String.valueOf(value), out);
    }
  }

  private static void newline(boolean pretty, int depth, StringBuilder out) {
    if (pretty) {
      out.append('\n').append("  ".repeat(depth));
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Go's float64 JSON encoding: plain between 1e-6 and 1e21, otherwise exponent form. */
  static String number(double d) {
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    BigDecimal decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (abs >= 1e-6 && abs < 1e21) {
      return decimal.toPlainString();
    }
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    StringBuilder out = new StringBuilder();
    if (d < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    return out.toString();
  }
}
