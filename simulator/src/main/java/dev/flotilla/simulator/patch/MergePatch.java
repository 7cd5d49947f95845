package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON Merge Patch (RFC 7386): objects merge, {@code null} deletes, anything else replaces. */
final class MergePatch {

  private MergePatch() {}

  static ObjectNode apply(ObjectNode current, byte[] body) {
    JsonNode patch = PatchBodies.json(body);
    if (patch.isNull()) {
      throw PatchException.badRequest("Invalid JSON Patch");
    }
    if (!patch.isObject()) {
      // RFC 7386 would replace the whole document, which can never decode into an object
      throw PatchException.invalid(
          JsonPatchApplier.REJECTED,
          "a merge patch of an object must be a JSON object, not " + PatchEngine.kindOf(patch));
    }
    return (ObjectNode) merge(current.deepCopy(), patch);
  }

  /** Merges the patch into target (which it may change) and returns the result. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return withoutNulls(patch);
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : newObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  private static JsonNode withoutNulls(JsonNode value) {
    return value.isObject() ? merge(newObject(), value) : value.deepCopy();
  }

  private static ObjectNode newObject() {
    return PatchBodies.JSON.createObjectNode();
  }
}
