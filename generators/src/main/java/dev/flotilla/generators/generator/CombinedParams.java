package dev.flotilla.generators.generator;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of two parameter maps where the second wins, so that a matrix of 10,000 × 10
 * does not copy 100,000 maps just to look values up.
 */
final class CombinedParams extends AbstractMap<String, Object> {

  private final Map<String, Object> first;
  private final Map<String, Object> second;

  CombinedParams(Map<String, Object> first, Map<String, Object> second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public Object get(Object key) {
    Object value = second.get(key);
    if (value != null || second.containsKey(key)) {
      return value;
    }
    return first.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return second.containsKey(key) || first.containsKey(key);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Map<String, Object> merged = new LinkedHashMap<>(first);
    merged.putAll(second);
    return java.util.Collections.unmodifiableMap(merged).entrySet();
  }
}
