package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's rules for an object's identity and metadata, shared by the store's writes and
 * the API server's dry runs (which must refuse exactly what a real write would).
 */
public final class ObjectRules {

  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private ObjectRules() {}

  /** {@code Deployment.apps}, or {@code Pod}: how the real server names a kind in messages. */
  public static String qualifiedKind(ResourceType type) {
    return type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
  }

  public static String name(JsonNode object) {
    return object.path("metadata").path("name").asText("");
  }

  public static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  /** metadata, created if absent. */
  public static ObjectNode metadata(ObjectNode object) {
    JsonNode m = object.get("metadata");
    return m instanceof ObjectNode o ? o : object.putObject("metadata");
  }

  /** The RFC 3339 timestamp (seconds) the real server writes. */
  public static String timestamp(Clock clock) {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Fills apiVersion/kind from the type and checks what a create needs (a name, a valid one, a
   * namespace for a namespaced kind, valid labels). Mutates the object.
   */
  public static void checkForCreate(ResourceType type, ObjectNode object) {
    checkKind(type, object);
    ObjectNode meta = metadata(object);
    String name = name(object);
    if (name.isEmpty()) {
      throw invalid(type, name, "metadata.name: Required value: name or generateName is required");
    }
    checkName(type, name);
    if (type.namespaced()) {
      if (namespace(object).isEmpty()) {
        throw invalid(type, name, "metadata.namespace: Required value");
      }
    } else {
      meta.remove("namespace");
    }
    checkLabels(type, object);
  }

  /** The checks an update repeats (kind, labels). */
  public static void checkForUpdate(ResourceType type, ObjectNode object) {
    checkKind(type, object);
    checkLabels(type, object);
  }

  public static void checkName(ResourceType type, String name) {
    boolean label = type.equals(BuiltinTypes.NAMESPACES);
    int max = label ? 63 : 253;
    if (name.length() > max || !(label ? LABEL : SUBDOMAIN).matcher(name).matches()) {
      throw invalid(
          type,
          name,
          "metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 "
              + (label ? "label" : "subdomain")
              + " must consist of lower case alphanumeric characters, '-'"
              + (label ? "" : " or '.'")
              + ", and must start and end with an alphanumeric character (at most "
              + max
              + " characters)");
    }
  }

  private static void checkKind(ResourceType type, ObjectNode object) {
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw invalid(
          type,
          name(object),
          "kind: Invalid value: \"" + kind + "\": must be " + type.kind() + " for this resource");
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw invalid(
          type,
          name(object),
          "apiVersion: Invalid value: \""
              + apiVersion
              + "\": must be "
              + type.apiVersion()
              + " (the only version simulated)");
    }
    object.put("apiVersion", type.apiVersion());
    object.put("kind", type.kind());
  }

  private static void checkLabels(ResourceType type, ObjectNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String value = e.getValue().asText();
      if (!e.getValue().isTextual()
          || value.length() > 63
          || !LABEL_VALUE.matcher(value).matches()) {
        throw invalid(
            type,
            name(object),
            "metadata.labels: Invalid value: \""
                + value
                + "\": a valid label must be a string of at most 63 characters, alphanumeric, '-', '_'"
                + " or '.', starting and ending with an alphanumeric character");
      }
    }
  }

  /** Whether anything outside metadata and status differs: a real server bumps generation then. */
  public static boolean specChanged(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode o : new ObjectNode[] {a, b}) {
      o.remove("metadata");
      o.remove("status");
    }
    return !a.equals(b);
  }

  public static StoreException.Invalid invalid(ResourceType type, String name, String why) {
    return new StoreException.Invalid(qualifiedKind(type) + " \"" + name + "\" is invalid: " + why);
  }

  public static StoreException.NotFound notFound(ResourceType type, String name) {
    return new StoreException.NotFound(type.groupResource() + " \"" + name + "\" not found");
  }

  public static StoreException.Conflict conflict(ResourceType type, String name) {
    return new StoreException.Conflict(
        "Operation cannot be fulfilled on "
            + type.groupResource()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again");
  }
}
