package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields an object (or an apply configuration) sets, as managedFields paths: every leaf value,
 * every element of a keyed list (its {@code .} and its fields) and every value of a set. Maps are
 * never owned themselves, only their leaves (an empty map is a leaf).
 */
final class FieldSet {

  /** Fields the API server owns itself: never in a manager's set (fieldmanager's stripmeta). */
  private static final Set<String> SERVER_FIELDS = Set.of("apiVersion", "kind");

  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink",
          "managedFields");

  private final TreeSet<FieldPath> paths;

  private FieldSet(TreeSet<FieldPath> paths) {
    this.paths = paths;
  }

  static FieldSet empty() {
    return new FieldSet(new TreeSet<>());
  }

  /** The fields this object sets, as the given type's list rules see them. */
  static FieldSet of(PatchStrategies strategies, ResourceType type, JsonNode object) {
    FieldSet set = empty();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      boolean statusBySubresource = name.equals("status") && type.subresources().contains("status");
      if (SERVER_FIELDS.contains(name) || statusBySubresource) {
        continue;
      }
      if (name.equals("metadata") && field.getValue().isObject()) {
        ObjectNode metadata = ((ObjectNode) field.getValue()).deepCopy();
        metadata.remove(SERVER_METADATA);
        if (metadata.isEmpty()) {
          continue;
        }
        set.walk(strategies, type, metadata, FieldPath.root().field(name), name);
      } else {
        set.walk(strategies, type, field.getValue(), FieldPath.root().field(name), name);
      }
    }
    return set;
  }

  static FieldSet fromFieldsV1(JsonNode fieldsV1) {
    FieldSet set = empty();
    if (fieldsV1 != null && fieldsV1.isObject()) {
      set.read(fieldsV1, FieldPath.root());
    }
    return set;
  }

  private void walk(
      PatchStrategies strategies, ResourceType type, JsonNode node, FieldPath at, String path) {
    if (node.isNull() || node.isObject() && node.isEmpty() && path.startsWith("metadata.")) {
      // an empty labels or annotations map is absent in Go (omitempty), so nobody owns it
      return;
    }
    if (node.isObject() && !node.isEmpty() && !strategies.isAtomicMap(type, path)) {
      node.fields()
          .forEachRemaining(
              f ->
                  walk(
                      strategies,
                      type,
                      f.getValue(),
                      at.field(f.getKey()),
                      path + "." + f.getKey()));
      return;
    }
    if (node.isArray() && !node.isEmpty()) {
      ListStrategy list = strategies.list(type, path);
      if (list.kind() == ListStrategy.Kind.MERGE_BY_KEY && allHaveKey(node, list.mergeKey())) {
        for (JsonNode element : node) {
          FieldPath item = at.key(list.mergeKey(), element.get(list.mergeKey()));
          paths.add(item.self());
          element
              .fields()
              .forEachRemaining(
                  f ->
                      walk(
                          strategies,
                          type,
                          f.getValue(),
                          item.field(f.getKey()),
                          path + "." + f.getKey()));
        }
        return;
      }
      if (list.kind() == ListStrategy.Kind.SET && !node.get(0).isContainerNode()) {
        node.forEach(v -> paths.add(at.value(v)));
        return;
      }
    }
    paths.add(at);
  }

  private static boolean allHaveKey(JsonNode list, String key) {
    for (JsonNode element : list) {
      if (!element.isObject() || element.get(key) == null) {
        return false;
      }
    }
    return true;
  }

  private void read(JsonNode node, FieldPath at) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      FieldPath child = at.with(field.getKey());
      if (field.getValue().isObject() && !field.getValue().isEmpty()) {
        read(field.getValue(), child);
      } else {
        paths.add(child);
      }
    }
  }

  /** The FieldsV1 tree: {@code {"f:spec":{"f:replicas":{}}}}. */
  ObjectNode toFieldsV1() {
    ObjectNode root = PatchBodies.JSON.createObjectNode();
    for (FieldPath path : paths) {
      ObjectNode node = root;
      for (String token : path.tokens()) {
        JsonNode next = node.get(token);
        node = next instanceof ObjectNode object ? object : node.putObject(token);
      }
    }
    return root;
  }

  Set<FieldPath> paths() {
    return paths;
  }

  boolean isEmpty() {
    return paths.isEmpty();
  }

  boolean contains(FieldPath path) {
    return paths.contains(path);
  }

  /** Whether the set holds this path or anything beneath it. */
  boolean holdsUnder(FieldPath prefix) {
    FieldPath first = paths.ceiling(prefix);
    return first != null && first.startsWith(prefix);
  }

  void add(FieldPath path) {
    paths.add(path);
  }

  void addAll(FieldSet other) {
    paths.addAll(other.paths);
  }

  void remove(FieldPath path) {
    paths.remove(path);
  }

  void removeAll(Iterable<FieldPath> other) {
    other.forEach(paths::remove);
  }

  FieldSet copy() {
    return new FieldSet(new TreeSet<>(paths));
  }

  List<FieldPath> minus(FieldSet other) {
    return paths.stream().filter(p -> !other.paths.contains(p)).toList();
  }
}
