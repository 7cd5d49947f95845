package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Small readers and builders for the Kubernetes object fields every controller touches. */
final class Meta {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The alphabet of the API server's generated names: no vowels, so no words. */
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final Random RANDOM = new SecureRandom();

  private Meta() {}

  static String name(JsonNode o) {
    return o.path("metadata").path("name").asText("");
  }

  static String namespace(JsonNode o) {
    return o.path("metadata").path("namespace").asText("");
  }

  static String uid(JsonNode o) {
    return o.path("metadata").path("uid").asText("");
  }

  static long generation(JsonNode o) {
    return o.path("metadata").path("generation").asLong(0);
  }

  static boolean deleting(JsonNode o) {
    return !o.path("metadata").path("deletionTimestamp").asText("").isEmpty();
  }

  /** The child object {@code field} of {@code parent}, created empty when missing. */
  static ObjectNode obj(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode existing) {
      return existing;
    }
    return parent.putObject(field);
  }

  static ObjectNode metadata(ObjectNode o) {
    return obj(o, "metadata");
  }

  static Map<String, String> labels(JsonNode o) {
    return stringMap(o.path("metadata").path("labels"));
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }

  /** The owner reference marked {@code controller: true}, if any. */
  static Optional<JsonNode> controllerRef(JsonNode o) {
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return Optional.of(ref);
      }
    }
    return Optional.empty();
  }

  /** The name of the controlling owner when it is of this kind, else null. */
  static String controllerName(JsonNode o, String kind) {
    return controllerRef(o)
        .filter(ref -> kind.equals(ref.path("kind").asText()))
        .map(ref -> ref.path("name").asText())
        .orElse(null);
  }

  static boolean controlledBy(JsonNode o, JsonNode owner) {
    String uid = uid(owner);
    return controllerRef(o).map(ref -> uid.equals(ref.path("uid").asText())).orElse(false);
  }

  /**
   * An ownerReferences list naming {@code owner} as the controller, as the real controllers set.
   */
  static ArrayNode ownerReferences(JsonNode owner, String apiVersion, String kind) {
    ArrayNode refs = JSON.arrayNode();
    refs.addObject()
        .put("apiVersion", apiVersion)
        .put("kind", kind)
        .put("name", name(owner))
        .put("uid", uid(owner))
        .put("controller", true)
        .put("blockOwnerDeletion", true);
    return refs;
  }

  /** RFC 3339 with whole seconds, as the API server writes metav1.Time. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant parseTime(JsonNode node) {
    String text = node.asText("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Five characters like the suffix of a generated name ({@code web-6d4cf56db6-x7k2p}). */
  static String randomSuffix() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      s.append(SAFE_ALPHABET.charAt(RANDOM.nextInt(SAFE_ALPHABET.length())));
    }
    return s.toString();
  }

  /** Encodes text into the safe alphabet, character by character (rand.SafeEncodeString). */
  static String safeEncode(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      s.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
    }
    return s.toString();
  }

  /** The {@code status.conditions} entry of this type, or a missing node. */
  static JsonNode condition(JsonNode o, String type) {
    for (JsonNode c : o.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** Sets a non-zero count, or removes it: the API types mark these fields omitempty. */
  static void putCount(ObjectNode status, String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  static int replicas(JsonNode o) {
    JsonNode r = o.path("spec").path("replicas");
    return r.isMissingNode() || r.isNull() ? 1 : r.asInt();
  }
}
