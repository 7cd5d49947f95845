package dev.flotilla.controlplane.application;

import io.vertx.core.json.JsonObject;

/**
 * JSON merge patch (RFC 7386), the patch {@code argocd app set} and {@code kubectl patch --type
 * merge} send: objects merge field by field, {@code null} removes a field, anything else (lists
 * included) replaces. Written here because it is ten lines over Vert.x's JSON types.
 */
final class MergePatch {

  private MergePatch() {}

  /** {@code target} patched by {@code patch}; neither is changed. */
  static JsonObject apply(JsonObject target, JsonObject patch) {
    JsonObject result = target == null ? new JsonObject() : target.copy();
    for (String field : patch.fieldNames()) {
      Object value = patch.getValue(field);
      if (value == null) {
        result.remove(field);
      } else if (value instanceof JsonObject object) {
        Object current = result.getValue(field);
        result.put(field, apply(current instanceof JsonObject c ? c : null, object));
      } else {
        result.put(field, value);
      }
    }
    return result;
  }
}
