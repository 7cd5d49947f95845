package dev.flotilla.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line {@code flotilla bench fleet} ends with: {@code key=value} pairs after a fixed
 * prefix, so that a script (or BENCHMARKS.md) can keep runs side by side. Unknown figures are
 * {@code n/a}.
 */
final class FleetBenchSummary {

  static final String PREFIX = "flotilla bench fleet:";

  private static final Pattern PAIR = Pattern.compile(" ([a-z0-9_]+)=(\\S+)");

  private final Map<String, String> values = new LinkedHashMap<>();

  FleetBenchSummary put(String key, Object value) {
    values.put(key, format(value));
    return this;
  }

  String get(String key) {
    return values.get(key);
  }

  private static String format(Object value) {
    if (value == null) {
      return "n/a";
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d < 0) {
        return "n/a";
      }
      return String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.1f", d);
    }
    String s = value.toString();
    return s.isEmpty() ? "n/a" : s.replaceAll("\\s", "_");
  }

  String line() {
    StringBuilder out = new StringBuilder(PREFIX);
    values.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
    return out.toString();
  }

  /**
   * The pairs of a summary line, in order.
   *
   * @throws IllegalArgumentException when the line is not one
   */
  static Map<String, String> parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a bench summary line: " + line);
    }
    String rest = line.substring(PREFIX.length());
    Matcher m = PAIR.matcher(rest);
    Map<String, String> pairs = new LinkedHashMap<>();
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException(
            "unexpected text in the summary at: " + rest.substring(end));
      }
      pairs.put(m.group(1), m.group(2));
      end = m.end();
    }
    if (end != rest.length() || pairs.isEmpty()) {
      throw new IllegalArgumentException(
          "unexpected text in the summary at: " + rest.substring(end));
    }
    return pairs;
  }
}
