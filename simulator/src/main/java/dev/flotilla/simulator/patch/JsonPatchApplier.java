package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.fabric8.zjsonpatch.Operation;
import java.util.EnumSet;
import java.util.Set;

/**
 * JSON Patch (RFC 6902) with the API server's answers: a body that is not a list of operations is a
 * 400; an operation that does not apply (a failed {@code test}, a missing path or index, an unknown
 * op) is a 422 whose message is the generic one the real server sends, with what failed as the
 * cause. The operations themselves are fabric8's zjsonpatch, already on the classpath of every
 * fabric8 client; it copies the document, so the input is never modified.
 */
final class JsonPatchApplier {

  /** The API server's limit (apiserver handlers/patch.go maxJSONPatchOperations). */
  static final int MAX_OPERATIONS = 10_000;

  static final String REJECTED = "the server rejected our request due to an error in our request";

  private static final Set<String> OPS = Set.of("add", "remove", "replace", "move", "copy", "test");

  // evanphx/json-patch (the API server's library) refuses to remove a path that does not exist
  private static final EnumSet<CompatibilityFlags> FLAGS =
      EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private JsonPatchApplier() {}

  static ObjectNode apply(ObjectNode current, byte[] body) {
    JsonNode patch = PatchBodies.json(body);
    if (!patch.isArray()) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + PatchEngine.kindOf(patch)
              + " into a JSON Patch (a list of"
              + " operations such as [{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}])");
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw PatchException.badRequest(
          "The allowed maximum operations in a JSON patch is %d, got %d"
              .formatted(MAX_OPERATIONS, patch.size()));
    }
    for (int i = 0; i < patch.size(); i++) {
      check(patch.get(i), i);
    }
    JsonNode result;
    try {
      result = JsonPatch.apply(patch, current, FLAGS);
    } catch (JsonPatchException e) {
      throw PatchException.invalid(REJECTED, failingOperation(current, patch));
    }
    if (!result.isObject()) {
      throw PatchException.invalid(REJECTED, "the patched document is not an object");
    }
    return (ObjectNode) result;
  }

  private static void check(JsonNode op, int index) {
    String at = "operation " + index;
    if (!op.isObject()) {
      throw PatchException.badRequest(at + " of the JSON Patch is not an object");
    }
    JsonNode name = op.get("op");
    if (name == null || !name.isTextual()) {
      throw PatchException.invalid(REJECTED, at + ": missing \"op\"");
    }
    if (!OPS.contains(name.asText())) {
      throw PatchException.invalid(REJECTED, at + ": Unexpected kind: " + name.asText());
    }
    if (op.get("path") == null || !op.get("path").isTextual()) {
      throw PatchException.invalid(REJECTED, at + " (" + name.asText() + "): missing \"path\"");
    }
    boolean needsFrom = name.asText().equals("move") || name.asText().equals("copy");
    if (needsFrom && (op.get("from") == null || !op.get("from").isTextual())) {
      throw PatchException.invalid(REJECTED, at + " (" + name.asText() + "): missing \"from\"");
    }
    boolean needsValue = Set.of("add", "replace", "test").contains(name.asText());
    if (needsValue && !op.has("value")) {
      throw PatchException.invalid(REJECTED, at + " (" + name.asText() + "): missing \"value\"");
    }
  }

  /** Replays the operations one by one (only after a failure) to name the one that fails. */
  private static String failingOperation(ObjectNode current, JsonNode patch) {
    JsonNode document = current;
    for (int i = 0; i < patch.size(); i++) {
      JsonNode op = patch.get(i);
      try {
        document = JsonPatch.apply(PatchBodies.JSON.createArrayNode().add(op), document, FLAGS);
      } catch (JsonPatchException e) {
        return cause(e, op, i);
      }
    }
    return "the patch does not apply";
  }

  private static String cause(JsonPatchException e, JsonNode op, int index) {
    String path = op.get("path").asText();
    if (e.getOperation() == Operation.TEST) {
      // evanphx/json-patch's words, which clients sometimes match on
      return "testing value " + path + " failed: test failed";
    }
    return "operation %d (%s %s) does not apply: %s"
        .formatted(index, op.get("op").asText(), path, e.getMessage());
  }
}
