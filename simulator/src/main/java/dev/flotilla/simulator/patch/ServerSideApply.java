package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.patch.ManagedFields.Entry;
import dev.flotilla.simulator.store.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply, simplified but honest. What it does like the real API server: the applied
 * configuration is merged into the live object (maps merged; lists with the strategic merge keys of
 * {@link PatchStrategies} merged by key, sets of strings merged, other lists replaced); {@code
 * metadata.managedFields} records per field manager the fields it applied (FieldsV1, operation
 * Apply); a field the manager applied before and omits now is removed unless another manager also
 * owns it; a field another manager owns (by Apply or by an ordinary write) with a different value
 * is a 409 Conflict naming fields and managers, unless forced, which moves the ownership; an absent
 * object is created.
 *
 * <p>Simplifications: lists are keyed by their single strategic merge key (the real server uses the
 * OpenAPI listMapKeys, e.g. containerPort+protocol for ports); custom resources' lists are atomic
 * (their CRD schema is not read); no defaulting, so a field the server would default is neither
 * owned nor compared; maps are never owned as a whole, only their leaves; a kept list keeps its
 * live order with new elements appended; status is ignored for types with a status subresource, as
 * on the real main resource.
 */
final class ServerSideApply {

  static final int MAX_MANAGER_LENGTH = 128;

  private final PatchStrategies strategies;
  private final ManagedFields managedFields;

  ServerSideApply(PatchStrategies strategies, ManagedFields managedFields) {
    this.strategies = strategies;
    this.managedFields = managedFields;
  }

  ObjectNode apply(
      ResourceType type, ObjectNode current, byte[] body, String manager, boolean force) {
    checkManager(manager);
    ObjectNode applied = readConfiguration(type, current, body);
    ObjectNode live = current == null ? newObject(applied) : current.deepCopy();
    List<Entry> entries = ManagedFields.read(live);
    FieldSet appliedFields = FieldSet.of(strategies, type, applied);
    Entry own = null;
    List<Entry> others = new ArrayList<>();
    for (Entry e : entries) {
      if (e.is(manager, ManagedFields.APPLY)) {
        own = e;
      } else {
        others.add(e);
      }
    }
    Map<Entry, List<FieldPath>> conflicts = conflicts(others, appliedFields, live, applied);
    if (!conflicts.isEmpty()) {
      if (!force) {
        throw conflictError(conflicts);
      }
      conflicts.forEach((e, paths) -> e.fields().removeAll(paths));
    }
    ObjectNode merged = (ObjectNode) merge(type, live, stripped(type, applied), "");
    if (own != null) {
      List<FieldPath> dropped = new ArrayList<>(own.fields().minus(appliedFields));
      // whole list elements first: once their fields are gone, their keys no longer find them
      dropped.sort(Comparator.comparing((FieldPath p) -> !p.last().equals(FieldPath.SELF)));
      for (FieldPath path : dropped) {
        FieldPath owned = path.last().equals(FieldPath.SELF) ? path.parent() : path;
        if (others.stream().noneMatch(e -> e.fields().holdsUnder(owned))) {
          path.removeFrom(merged);
        }
      }
    }
    Entry applyEntry =
        new Entry(
            manager,
            ManagedFields.APPLY,
            type.apiVersion(),
            managedFields.now(),
            "",
            appliedFields);
    List<Entry> result = new ArrayList<>();
    for (Entry e : entries) {
      result.add(e == own ? applyEntry : e);
    }
    if (own == null) {
      result.add(applyEntry);
    }
    ManagedFields.write(merged, result);
    return merged;
  }

  private static void checkManager(String manager) {
    if (manager == null || manager.isEmpty()) {
      throw PatchException.invalid(
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for"
              + " apply patch",
          new PatchException.Cause(
              "FieldValueRequired", "Required value: is required for apply patch", "fieldManager"));
    }
    if (manager.length() > MAX_MANAGER_LENGTH) {
      throw PatchException.invalid(
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than"
              + " 128 bytes",
          new PatchException.Cause(
              "FieldValueTooLong", "Too long: may not be more than 128 bytes", "fieldManager"));
    }
  }

  private static ObjectNode readConfiguration(ResourceType type, ObjectNode current, byte[] body) {
    JsonNode config = PatchBodies.yaml(body);
    if (!config.isObject()) {
      throw PatchException.badRequest(
          "error decoding YAML: cannot unmarshal "
              + PatchEngine.kindOf(config)
              + " into an object: an apply configuration is one Kubernetes object");
    }
    String apiVersion = config.path("apiVersion").asText("");
    if (!apiVersion.equals(type.apiVersion())) {
      throw PatchException.badRequest(
          "Incorrect version specified in apply patch. Specified patch version: %s, expected: %s"
              .formatted(apiVersion.isEmpty() ? "/" : apiVersion, type.apiVersion()));
    }
    String kind = config.path("kind").asText("");
    if (!kind.equals(type.kind())) {
      throw PatchException.badRequest(
          "the kind in the apply configuration (%s) does not match the resource's kind (%s)"
              .formatted(kind, type.kind()));
    }
    JsonNode managed = config.path("metadata").path("managedFields");
    if (!managed.isMissingNode() && !managed.isNull() && !managed.isEmpty()) {
      throw PatchException.badRequest("metadata.managedFields must be nil");
    }
    String name = config.path("metadata").path("name").asText("");
    String liveName = current == null ? "" : current.path("metadata").path("name").asText("");
    if (!name.isEmpty() && !liveName.isEmpty() && !name.equals(liveName)) {
      throw PatchException.badRequest(
          "the name of the object (%s) does not match the name on the URL (%s)"
              .formatted(name, liveName));
    }
    return (ObjectNode) config;
  }

  private static ObjectNode newObject(ObjectNode applied) {
    ObjectNode created = PatchBodies.JSON.createObjectNode();
    created.set("apiVersion", applied.get("apiVersion"));
    created.set("kind", applied.get("kind"));
    created.putObject("metadata");
    return created;
  }

  /**
   * The configuration without what the server owns: its managedFields and a subresource's status.
   */
  private static ObjectNode stripped(ResourceType type, ObjectNode applied) {
    ObjectNode copy = applied.deepCopy();
    if (type.subresources().contains("status")) {
      copy.remove("status");
    }
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("managedFields");
    }
    return copy;
  }

  private static Map<Entry, List<FieldPath>> conflicts(
      List<Entry> others, FieldSet applied, JsonNode live, JsonNode config) {
    Map<Entry, List<FieldPath>> conflicts = new LinkedHashMap<>();
    for (FieldPath path : applied.paths()) {
      if (!path.isLeafValue()) {
        continue;
      }
      JsonNode liveValue = path.resolve(live);
      if (JsonValues.same(liveValue, path.resolve(config))) {
        continue;
      }
      for (Entry e : others) {
        if (e.fields().contains(path)) {
          conflicts.computeIfAbsent(e, k -> new ArrayList<>()).add(path);
        }
      }
    }
    return conflicts;
  }

  /** The message and causes the API server sends (apiserver fieldmanager's NewConflictError). */
  private static PatchException conflictError(Map<Entry, List<FieldPath>> conflicts) {
    List<PatchException.Cause> causes = new ArrayList<>();
    Map<String, List<FieldPath>> byManager = new java.util.TreeMap<>();
    conflicts.forEach(
        (e, paths) -> {
          byManager.computeIfAbsent(e.printed(), k -> new ArrayList<>()).addAll(paths);
          paths.forEach(
              p ->
                  causes.add(
                      new PatchException.Cause(
                          "FieldManagerConflict", "conflict with " + e.printed(), p.toString())));
        });
    int count = causes.size();
    String message;
    if (count == 1) {
      PatchException.Cause only = causes.get(0);
      message = "Apply failed with 1 conflict: " + only.message() + ": " + only.field();
    } else {
      List<String> lines = new ArrayList<>();
      byManager.forEach(
          (m, paths) -> {
            lines.add("conflicts with " + m + ":");
            paths.forEach(p -> lines.add("- " + p));
          });
      message = "Apply failed with %d conflicts: %s".formatted(count, String.join("\n", lines));
    }
    return PatchException.conflict(message, causes);
  }

  /** The applied value merged into the live one (live may be changed). */
  private JsonNode merge(ResourceType type, JsonNode live, JsonNode applied, String path) {
    if (applied.isObject() && !strategies.isAtomicMap(type, path)) {
      ObjectNode result =
          live != null && live.isObject() ? (ObjectNode) live : PatchBodies.JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = applied.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
          result.set(field.getKey(), merge(type, result.get(field.getKey()), field.getValue(), at));
        }
      }
      return result;
    }
    if (applied.isArray() && live != null && live.isArray()) {
      ListStrategy list = strategies.list(type, path);
      if (list.kind() == ListStrategy.Kind.SET) {
        ArrayNode result = (ArrayNode) live;
        applied.forEach(
            v -> {
              if (ListOrder.indexOf(result, v, null) < 0) {
                result.add(v.deepCopy());
              }
            });
        return result;
      }
      if (list.kind() == ListStrategy.Kind.MERGE_BY_KEY && keyed(live, applied, list.mergeKey())) {
        ArrayNode result = (ArrayNode) live;
        for (JsonNode element : applied) {
          int at = ListOrder.indexOf(result, element, list.mergeKey());
          if (at >= 0) {
            result.set(at, merge(type, result.get(at), element, path));
          } else {
            result.add(merge(type, null, element, path));
          }
        }
        return result;
      }
    }
    if (applied.isArray()) {
      ArrayNode copy = PatchBodies.JSON.createArrayNode();
      applied.forEach(v -> copy.add(merge(type, null, v, path)));
      return copy;
    }
    return applied.deepCopy();
  }

  private static boolean keyed(JsonNode live, JsonNode applied, String key) {
    for (JsonNode list : List.of(live, applied)) {
      for (JsonNode element : list) {
        if (!element.isObject() || element.get(key) == null) {
          return false;
        }
      }
    }
    return true;
  }
}
