package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where merged list elements end up, by apimachinery's rules (the design proposal "preserve order
 * in strategic merge patch"): elements named by the patch (or by {@code $setElementOrder}) keep the
 * patch's order, elements only the server has keep the live order, and the two are interleaved by
 * their live positions; an element new to the server goes before the server-only elements that
 * follow it, which is what the real server does.
 */
final class ListOrder {

  private ListOrder() {}

  /** Whether all elements are objects (else all scalars); mixed or nested lists are refused. */
  static boolean elementsAreObjects(ArrayNode original, ArrayNode patch) {
    Boolean objects = null;
    for (ArrayNode list : List.of(original, patch)) {
      for (JsonNode element : list) {
        if (element.isArray()) {
          throw PatchException.invalid(
              JsonPatchApplier.REJECTED, "lists of lists are not supported");
        }
        boolean object = element.isObject();
        if (objects != null && objects != object) {
          throw PatchException.badRequest(
              "list element types are not identical: %s, %s".formatted(original, patch));
        }
        objects = object;
      }
    }
    return Boolean.TRUE.equals(objects);
  }

  /** Index of the element with the same merge key (or equal scalar), -1 if none. */
  static int indexOf(ArrayNode list, JsonNode element, String mergeKey) {
    for (int i = 0; i < list.size(); i++) {
      if (same(list.get(i), element, mergeKey)) {
        return i;
      }
    }
    return -1;
  }

  static ArrayNode without(ArrayNode list, String mergeKey, JsonNode key) {
    ArrayNode kept = PatchBodies.JSON.createArrayNode();
    list.forEach(
        e -> {
          if (!key.equals(e.get(mergeKey))) {
            kept.add(e);
          }
        });
    return kept;
  }

  /** Orders merged: patch-named elements by patchOrder, the rest by serverOrder, interleaved. */
  static ArrayNode normalize(
      ArrayNode merged, ArrayNode patchOrder, ArrayNode serverOrder, String mergeKey) {
    List<JsonNode> patchItems = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode element : merged) {
      (indexOf(patchOrder, element, mergeKey) >= 0 ? patchItems : serverOnly).add(element);
    }
    patchItems.sort(Comparator.comparingInt(e -> indexOf(patchOrder, e, mergeKey)));
    serverOnly.sort(Comparator.comparingInt(e -> indexOf(serverOrder, e, mergeKey)));
    ArrayNode result = PatchBodies.JSON.createArrayNode();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < patchItems.size()) {
      if (j >= patchItems.size()) {
        result.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        result.add(patchItems.get(j++));
      } else {
        int left = indexOf(serverOrder, serverOnly.get(i), mergeKey);
        int right = indexOf(serverOrder, patchItems.get(j), mergeKey);
        if (left >= 0 && right >= 0 && left < right) {
          result.add(serverOnly.get(i++));
        } else {
          result.add(patchItems.get(j++));
        }
      }
    }
    return result;
  }

  /** The patch list must name its elements in the relative order of the $setElementOrder list. */
  static void checkAgainstOrder(ArrayNode patchList, ArrayNode order, String mergeKey) {
    if (patchList == null || patchList.isEmpty() || order.isEmpty()) {
      return;
    }
    List<JsonNode> named = new ArrayList<>();
    patchList.forEach(
        e -> {
          if (!e.has(StrategicMergePatch.DIRECTIVE)) {
            named.add(e);
          }
        });
    int p = 0;
    for (int o = 0; o < order.size() && p < named.size(); o++) {
      if (same(named.get(p), order.get(o), mergeKey)) {
        p++;
      }
    }
    if (p < named.size()) {
      throw PatchException.badRequest(
          "The order in patch list:\n%s\n doesn't match $setElementOrder list:\n%s\n"
              .formatted(patchList, order));
    }
  }

  private static boolean same(JsonNode a, JsonNode b, String mergeKey) {
    if (mergeKey == null || !a.isObject() || !b.isObject()) {
      return a.equals(b);
    }
    JsonNode key = a.get(mergeKey);
    return key != null && key.equals(b.get(mergeKey));
  }
}
