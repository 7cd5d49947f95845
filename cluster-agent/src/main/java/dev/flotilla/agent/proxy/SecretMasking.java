package dev.flotilla.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.Tracking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Secret values never leave the cluster. As Argo CD's {@code HideSecretData}: every value under
 * {@code data} and {@code stringData} becomes a run of '+', and when a desired and a live Secret
 * are shown together, a key whose values differ gets runs of different lengths, so a diff still
 * shows that it changed but never what to. The last-applied records (ours and kubectl's) carry the
 * values too and are dropped.
 */
final class SecretMasking {

  static final String KUBECTL_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final int MASK_LENGTH = 8;

  private SecretMasking() {}

  static boolean isSecret(JsonNode object) {
    return object != null
        && "Secret".equals(object.path("kind").asText())
        && "v1".equals(object.path("apiVersion").asText());
  }

  /** A copy of {@code object} safe to send: a Secret's values masked; others unchanged. */
  static ObjectNode mask(ObjectNode object) {
    if (!isSecret(object)) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    maskValues(copy, Map.of());
    return copy;
  }

  /**
   * Copies of a desired and a live Secret (either may be null) with their values masked alike where
   * equal and differently where not.
   */
  static ObjectNode[] maskPair(ObjectNode desired, ObjectNode live) {
    if (!isSecret(desired) && !isSecret(live)) {
      return new ObjectNode[] {desired, live};
    }
    ObjectNode d = desired == null ? null : desired.deepCopy();
    ObjectNode l = live == null ? null : live.deepCopy();
    Map<String, String> desiredValues = values(d);
    Map<String, String> liveValues = values(l);
    Map<String, Integer> lengths = new TreeMap<>();
    for (String key : liveValues.keySet()) {
      boolean same = Objects.equals(desiredValues.get(key), liveValues.get(key));
      lengths.put(key, same ? MASK_LENGTH : MASK_LENGTH + 1);
    }
    if (d != null) {
      maskValues(d, Map.of());
    }
    if (l != null) {
      maskValues(l, lengths);
    }
    return new ObjectNode[] {d, l};
  }

  /** data and stringData as one map of decoded-or-plain values, for comparison only. */
  private static Map<String, String> values(ObjectNode secret) {
    Map<String, String> out = new TreeMap<>();
    if (secret == null) {
      return out;
    }
    secret.path("data").fields().forEachRemaining(e -> out.put(e.getKey(), decode(e.getValue())));
    secret
        .path("stringData")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String decode(JsonNode value) {
    try {
      return new String(java.util.Base64.getDecoder().decode(value.asText()));
    } catch (IllegalArgumentException e) {
      return value.asText();
    }
  }

  private static void maskValues(ObjectNode secret, Map<String, Integer> lengths) {
    for (String field : List.of("data", "stringData")) {
      if (secret.get(field) instanceof ObjectNode values) {
        List<String> keys = new ArrayList<>();
        values.fieldNames().forEachRemaining(keys::add);
        keys.forEach(k -> values.put(k, "+".repeat(lengths.getOrDefault(k, MASK_LENGTH))));
      }
    }
    if (secret.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(Tracking.LAST_APPLIED);
      annotations.remove(KUBECTL_LAST_APPLIED);
    }
  }
}
