package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The objects of one type: namespace → sorted names, plus a label index (key → value → objects), so
 * that a GET is two map lookups and a label-selected list reads only the objects carrying one of
 * the selected labels. Not thread-safe: the store guards it.
 */
final class TypeBucket {

  /** (namespace, name), ordered as a list is sorted. */
  record Key(String namespace, String name) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }
  }

  private final TreeMap<String, TreeMap<String, ObjectNode>> byNamespace = new TreeMap<>();
  private final Map<String, Map<String, NavigableSet<Key>>> labelIndex = new HashMap<>();
  private int size;

  ObjectNode get(String namespace, String name) {
    TreeMap<String, ObjectNode> names = byNamespace.get(namespace);
    return names == null ? null : names.get(name);
  }

  int size() {
    return size;
  }

  /** Stores the object (the caller never mutates it afterwards) and returns the one it replaced. */
  ObjectNode put(String namespace, String name, ObjectNode object) {
    ObjectNode old = byNamespace.computeIfAbsent(namespace, n -> new TreeMap<>()).put(name, object);
    Key key = new Key(namespace, name);
    if (old != null) {
      unindex(key, old);
    } else {
      size++;
    }
    labels(object)
        .fields()
        .forEachRemaining(
            e ->
                labelIndex
                    .computeIfAbsent(e.getKey(), k -> new HashMap<>())
                    .computeIfAbsent(e.getValue().asText(), v -> new TreeSet<>())
                    .add(key));
    return old;
  }

  ObjectNode remove(String namespace, String name) {
    TreeMap<String, ObjectNode> names = byNamespace.get(namespace);
    ObjectNode old = names == null ? null : names.remove(name);
    if (old != null) {
      size--;
      if (names.isEmpty()) {
        byNamespace.remove(namespace);
      }
      unindex(new Key(namespace, name), old);
    }
    return old;
  }

  Collection<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>(size);
    byNamespace.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /**
   * The stored objects (not copies) in one namespace (null: all) that match, sorted by namespace
   * then name. A {@link LabelSelector} with an equality or {@code in} requirement is answered from
   * the label index.
   */
  List<ObjectNode> list(String namespace, Predicate<ObjectNode> filter) {
    List<ObjectNode> out = new ArrayList<>();
    NavigableSet<Key> candidates =
        filter instanceof LabelSelector selector ? candidates(selector) : null;
    if (candidates != null) {
      for (Key key : candidates) {
        if (namespace == null || namespace.equals(key.namespace())) {
          ObjectNode o = get(key.namespace(), key.name());
          if (filter.test(o)) {
            out.add(o);
          }
        }
      }
      return out;
    }
    Collection<TreeMap<String, ObjectNode>> scope;
    if (namespace == null) {
      scope = byNamespace.values();
    } else {
      TreeMap<String, ObjectNode> names = byNamespace.get(namespace);
      scope = names == null ? List.of() : List.of(names);
    }
    for (TreeMap<String, ObjectNode> names : scope) {
      for (ObjectNode o : names.values()) {
        if (filter.test(o)) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** The smallest candidate set an equality/in requirement gives, or null if none does. */
  private NavigableSet<Key> candidates(LabelSelector selector) {
    NavigableSet<Key> best = null;
    for (LabelSelector.Requirement r : selector.requirements()) {
      if (r.operator() != LabelSelector.Operator.EQUALS
          && r.operator() != LabelSelector.Operator.IN) {
        continue;
      }
      Map<String, NavigableSet<Key>> values = labelIndex.getOrDefault(r.key(), Map.of());
      NavigableSet<Key> union = new TreeSet<>();
      for (String v : r.values()) {
        union.addAll(values.getOrDefault(v, new TreeSet<>()));
      }
      if (best == null || union.size() < best.size()) {
        best = union;
      }
    }
    return best;
  }

  private void unindex(Key key, ObjectNode object) {
    for (Iterator<Map.Entry<String, JsonNode>> it = labels(object).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Map<String, NavigableSet<Key>> values = labelIndex.get(e.getKey());
      if (values == null) {
        continue;
      }
      NavigableSet<Key> keys = values.get(e.getValue().asText());
      if (keys != null) {
        keys.remove(key);
        if (keys.isEmpty()) {
          values.remove(e.getValue().asText());
        }
      }
      if (values.isEmpty()) {
        labelIndex.remove(e.getKey());
      }
    }
  }

  private static JsonNode labels(ObjectNode object) {
    return object.path("metadata").path("labels");
  }
}
