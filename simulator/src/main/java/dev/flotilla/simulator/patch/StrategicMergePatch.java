package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Strategic merge patch as k8s.io/apimachinery's strategicpatch applies it on the server: maps
 * merge, {@code null} deletes a key, lists merge by the merge key of {@link PatchStrategies} (or
 * are replaced when untagged), and the directives {@code $patch} (replace/delete; "merge" is
 * refused as the real code refuses it), {@code $retainKeys}, {@code $setElementOrder/FIELD} and
 * {@code $deleteFromPrimitiveList/FIELD}. Element order follows the real rules: $setElementOrder,
 * then the patch list's order, then the live order ({@link ListOrder}).
 *
 * <p>Where the real server answers 500 (errors it does not classify: an unknown {@code $patch}, a
 * list element without its merge key), we answer 400 BadRequest with the same words: the fault is
 * the request's.
 */
final class StrategicMergePatch {

  static final String DIRECTIVE = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  private final PatchStrategies strategies;
  private final ResourceType type;

  private StrategicMergePatch(PatchStrategies strategies, ResourceType type) {
    this.strategies = strategies;
    this.type = type;
  }

  static ObjectNode apply(
      PatchStrategies strategies, ResourceType type, ObjectNode current, byte[] body) {
    JsonNode patch = PatchBodies.json(body);
    if (!patch.isObject()) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + PatchEngine.kindOf(patch)
              + " into a strategic merge patch"
              + " (it must be a JSON object)");
    }
    JsonNode merged =
        new StrategicMergePatch(strategies, type)
            .mergeMap(current.deepCopy(), (ObjectNode) patch.deepCopy(), "");
    return (ObjectNode) merged;
  }

  /** Merges patch into original; both are private copies this method may change. */
  private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      if (directive.asText().equals("replace")) {
        patch.remove(DIRECTIVE);
        return mergeMap(newObject(), patch, path);
      }
      if (directive.asText().equals("delete")) {
        return newObject();
      }
      throw PatchException.badRequest(
          "unknown patch type: %s in map: %s".formatted(directive.asText(), patch));
    }
    ObjectNode result = original == null ? newObject() : original;
    retainKeys(result, patch);
    setElementOrders(result, patch, path);
    // deletions from primitive lists first: Go's map order is random, ours must not be
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromPrimitiveList(result, field.getKey(), field.getValue());
        it.remove();
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.startsWith("$")) {
        continue; // an unknown directive: the real server's typed decoding drops it too
      }
      String at = path.isEmpty() ? key : path + "." + key;
      JsonNode old = result.get(key);
      if (value.isNull()) {
        result.remove(key);
      } else if (old != null && old.isObject() && value.isObject()) {
        result.set(key, mergeMap((ObjectNode) old, (ObjectNode) value, at));
      } else if (old != null && old.isArray() && value.isArray()) {
        result.set(key, mergeList((ArrayNode) old, (ArrayNode) value, at));
      } else {
        result.set(key, clean(value, at));
      }
    }
    return result;
  }

  /** A patch value with no live counterpart: its directives still apply, to nothing. */
  private JsonNode clean(JsonNode value, String path) {
    if (value.isObject()) {
      return mergeMap(newObject(), (ObjectNode) value, path);
    }
    if (value.isArray()) {
      return mergeList(PatchBodies.JSON.createArrayNode(), (ArrayNode) value, path);
    }
    return value;
  }

  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw PatchException.badRequest("invalid patch format of retainKeys");
    }
    List<String> keep = new ArrayList<>();
    retain.forEach(k -> keep.add(k.asText()));
    patch
        .fields()
        .forEachRemaining(
            f -> {
              boolean directive =
                  f.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)
                      || f.getKey().startsWith(SET_ELEMENT_ORDER);
              if (!f.getValue().isNull() && !directive && !keep.contains(f.getKey())) {
                throw PatchException.badRequest(
                    "invalid patch format of retainKeys: %s is in the patch but not in %s"
                        .formatted(f.getKey(), retain));
              }
            });
    original.retain(keep);
  }

  private void setElementOrders(ObjectNode original, ObjectNode patch, String path) {
    List<String> directives = new ArrayList<>();
    patch
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.startsWith(SET_ELEMENT_ORDER)) {
                directives.add(k);
              }
            });
    for (String directive : directives) {
      JsonNode order = patch.remove(directive);
      String key = directive.substring(SET_ELEMENT_ORDER.length());
      if (key.isEmpty() || !order.isArray()) {
        throw PatchException.badRequest("invalid patch format of setElementOrder list");
      }
      String at = path.isEmpty() ? key : path + "." + key;
      ListStrategy strategy = strategies.list(type, at);
      JsonNode live = original.get(key);
      JsonNode patchList = patch.remove(key);
      if (live != null && !live.isArray() || patchList != null && !patchList.isArray()) {
        throw PatchException.badRequest("invalid patch format of setElementOrder list");
      }
      if (live == null && patchList == null) {
        continue;
      }
      ArrayNode liveList = live == null ? PatchBodies.JSON.createArrayNode() : (ArrayNode) live;
      ListOrder.checkAgainstOrder((ArrayNode) patchList, (ArrayNode) order, strategy.mergeKey());
      ArrayNode merged =
          patchList == null ? liveList.deepCopy() : mergeList(liveList, (ArrayNode) patchList, at);
      if (strategy.merges()) {
        merged = ListOrder.normalize(merged, (ArrayNode) order, liveList, strategy.mergeKey());
      }
      original.set(key, merged);
    }
  }

  private static void deleteFromPrimitiveList(ObjectNode original, String key, JsonNode values) {
    String field = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
    if (field.isEmpty() || !values.isArray()) {
      throw PatchException.badRequest("invalid patch format of primitive list");
    }
    JsonNode live = original.get(field);
    if (live != null && live.isArray()) {
      ArrayNode kept = PatchBodies.JSON.createArrayNode();
      live.forEach(
          v -> {
            if (!contains(values, v)) {
              kept.add(v);
            }
          });
      original.set(field, kept);
    }
  }

  private ArrayNode mergeList(ArrayNode original, ArrayNode patch, String path) {
    ListStrategy strategy = strategies.list(type, path);
    if (!strategy.merges()) {
      return patch.deepCopy();
    }
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean maps = ListOrder.elementsAreObjects(original, patch);
    if (!maps) {
      ArrayNode merged = original.deepCopy();
      patch.forEach(
          v -> {
            if (!contains(merged, v)) {
              merged.add(v);
            }
          });
      return ListOrder.normalize(merged, patch, original, null);
    }
    String mergeKey = strategy.mergeKey();
    if (mergeKey == null) {
      throw PatchException.badRequest("cannot merge lists without merge key for " + path);
    }
    ArrayNode live = original;
    ArrayNode items = PatchBodies.JSON.createArrayNode();
    boolean replace = false;
    for (JsonNode element : patch) {
      JsonNode directive = element.get(DIRECTIVE);
      if (directive == null) {
        items.add(element);
      } else if (directive.asText().equals("delete")) {
        live = ListOrder.without(live, mergeKey, keyOf(element, mergeKey));
      } else if (directive.asText().equals("replace")) {
        replace = true;
      } else if (directive.asText().equals("merge")) {
        throw PatchException.badRequest("merging lists cannot yet be specified in the patch");
      } else {
        throw PatchException.badRequest(
            "unknown patch type: %s in map: %s".formatted(directive.asText(), element));
      }
    }
    if (replace) {
      ArrayNode replaced = PatchBodies.JSON.createArrayNode();
      items.forEach(e -> replaced.add(mergeMap(newObject(), (ObjectNode) e.deepCopy(), path)));
      return replaced;
    }
    ArrayNode merged = live.deepCopy();
    for (JsonNode element : items) {
      int at = ListOrder.indexOf(merged, element, mergeKey);
      ObjectNode elementPatch = (ObjectNode) element.deepCopy();
      keyOf(elementPatch, mergeKey);
      if (at >= 0) {
        merged.set(at, mergeMap((ObjectNode) merged.get(at), elementPatch, path));
      } else {
        merged.add(mergeMap(newObject(), elementPatch, path));
      }
    }
    return ListOrder.normalize(merged, items, live, mergeKey);
  }

  private static JsonNode keyOf(JsonNode element, String mergeKey) {
    JsonNode key = element.get(mergeKey);
    if (key == null) {
      throw PatchException.badRequest(
          "map: %s does not contain declared merge key: %s".formatted(element, mergeKey));
    }
    return key;
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode v : array) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode newObject() {
    return PatchBodies.JSON.createObjectNode();
  }
}
