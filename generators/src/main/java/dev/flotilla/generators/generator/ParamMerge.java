package dev.flotilla.generators.generator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges nested (goTemplate) parameter maps the way Argo CD's mergo calls do: maps merge key by key
 * and recursively; an empty value (nil, "", 0, false, empty map or list) is always filled;
 * otherwise the existing value stays unless {@code override} is set and the new value is not empty.
 */
final class ParamMerge {

  private ParamMerge() {}

  static Map<String, Object> merge(
      Map<String, Object> base, Map<String, Object> other, boolean override) {
    Map<String, Object> result = new LinkedHashMap<>(base);
    mergeInto(result, other, override);
    return result;
  }

  @SuppressWarnings("unchecked")
  private static void mergeInto(
      Map<String, Object> target, Map<String, Object> source, boolean override) {
    for (Map.Entry<String, Object> entry : source.entrySet()) {
      String key = entry.getKey();
      Object incoming = entry.getValue();
      Object existing = target.get(key);
      if (!target.containsKey(key) || isEmpty(existing)) {
        target.put(key, incoming);
      } else if (existing instanceof Map<?, ?> e && incoming instanceof Map<?, ?> i) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) e);
        mergeInto(copy, (Map<String, Object>) i, override);
        target.put(key, copy);
      } else if (override && !isEmpty(incoming)) {
        target.put(key, incoming);
      }
    }
  }

  static boolean isEmpty(Object value) {
    return value == null
        || (value instanceof String s && s.isEmpty())
        || (value instanceof Boolean b && !b)
        || (value instanceof Number n && n.doubleValue() == 0)
        || (value instanceof Map<?, ?> m && m.isEmpty())
        || (value instanceof List<?> l && l.isEmpty());
  }
}
