package dev.flotilla.controlplane.drift;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Masks Secret values in field diffs. Agents already mask before anything leaves the cluster; this
 * is the second line, so that an older or faulty agent can never make the control plane store or
 * serve a Secret value.
 */
final class SecretMasking {

  /** JSON text of the mask; the same text the agent uses, so masking twice changes nothing. */
  static final String MASK = "\"++++++++\"";

  private static final String MASKED_VALUE = "++++++++";

  private SecretMasking() {}

  static boolean isSecret(String kind) {
    // Any group: a custom kind called Secret is as likely to carry credentials as the core one.
    return "Secret".equals(kind);
  }

  /** A copy of {@code fields} ([{path, desired, live}]) safe to store and show. */
  static JsonArray maskFields(String kind, JsonArray fields) {
    if (fields == null) {
      return new JsonArray();
    }
    if (!isSecret(kind)) {
      return fields;
    }
    JsonArray out = new JsonArray();
    for (Object o : fields) {
      if (!(o instanceof JsonObject f)) {
        continue; // not a field diff: drop rather than guess what it holds
      }
      String path = f.getValue("path") instanceof String s ? s : "";
      out.add(
          new JsonObject()
              .put("path", path)
              .put("desired", maskValue(path, text(f.getValue("desired"))))
              .put("live", maskValue(path, text(f.getValue("live")))));
    }
    return out;
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof String s ? s : Json.encode(value);
  }

  /** Masks one JSON value found at {@code path} (a JSON pointer) of a Secret. */
  static String maskValue(String path, String json) {
    if (json == null || json.equals("null")) {
      return json; // absence is not a secret
    }
    List<String> segments = pointer(path);
    if (segments.isEmpty()) {
      return maskStructure(json, o -> maskSecretObject(o));
    }
    String first = segments.get(0);
    if (first.equals("data") || first.equals("stringData")) {
      return segments.size() == 1 ? maskStructure(json, SecretMasking::maskAllValues) : MASK;
    }
    if (first.equals("metadata")) {
      if (segments.size() == 1) {
        return maskStructure(json, m -> maskAnnotations(m.getValue("annotations")));
      }
      if (segments.get(1).equals("annotations")) {
        if (segments.size() == 2) {
          return maskStructure(json, SecretMasking::maskAnnotations);
        }
        return isLastApplied(segments.get(2)) ? MASK : json;
      }
    }
    return json;
  }

  private interface ObjectMasker {
    void mask(JsonObject o);
  }

  /**
   * Parses {@code json} as an object and masks it in place; anything unexpected is masked whole.
   */
  private static String maskStructure(String json, ObjectMasker masker) {
    Object value;
    try {
      value = Json.decodeValue(json);
    } catch (DecodeException e) {
      return MASK;
    }
    if (!(value instanceof JsonObject o)) {
      return MASK;
    }
    masker.mask(o);
    return o.encode();
  }

  private static void maskSecretObject(JsonObject secret) {
    maskAllValues(secret.getValue("data"));
    maskAllValues(secret.getValue("stringData"));
    if (secret.getValue("metadata") instanceof JsonObject m) {
      maskAnnotations(m.getValue("annotations"));
    }
  }

  private static void maskAllValues(Object map) {
    if (map instanceof JsonObject values) {
      for (String key : List.copyOf(values.fieldNames())) {
        values.put(key, MASKED_VALUE);
      }
    }
  }

  /** kubectl's and Flotilla's last-applied annotations hold the whole Secret, data included. */
  private static void maskAnnotations(Object annotations) {
    if (annotations instanceof JsonObject a) {
      for (String key : List.copyOf(a.fieldNames())) {
        if (isLastApplied(key)) {
          a.put(key, MASKED_VALUE);
        }
      }
    }
  }

  private static boolean isLastApplied(String annotation) {
    return annotation.contains("last-applied");
  }

  /** Segments of a JSON pointer (RFC 6901), unescaped; "" and "/" both mean the whole object. */
  static List<String> pointer(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return List.of();
    }
    String p = path.startsWith("/") ? path.substring(1) : path;
    return java.util.Arrays.stream(p.split("/", -1))
        .map(s -> s.replace("~1", "/").replace("~0", "~"))
        .toList();
  }
}
