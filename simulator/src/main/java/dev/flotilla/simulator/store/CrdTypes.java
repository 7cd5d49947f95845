package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a CustomResourceDefinition serves, and the status a real server gives it once accepted. */
final class CrdTypes {

  private CrdTypes() {}

  /**
   * The type a CRD serves: its storage version (or first served one). Only one version per CRD is
   * simulated; conversion between versions is not.
   */
  static ResourceType typeOf(ObjectNode crd) {
    ResourceType self = BuiltinTypes.CRDS;
    String name = ObjectRules.name(crd);
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    JsonNode names = spec.path("names");
    String plural = names.path("plural").asText("");
    String kind = names.path("kind").asText("");
    if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
      throw ObjectRules.invalid(
          self, name, "spec.group, spec.names.plural and spec.names.kind: Required value");
    }
    if (!name.equals(plural + "." + group)) {
      throw ObjectRules.invalid(
          self,
          name,
          "metadata.name: Invalid value: \""
              + name
              + "\": must be spec.names.plural+\".\"+spec.group");
    }
    JsonNode version = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        version = v;
      }
      if (version == null && v.path("served").asBoolean(true)) {
        version = v;
      }
    }
    if (version == null || version.path("name").asText("").isEmpty()) {
      throw ObjectRules.invalid(self, name, "spec.versions: Required value: one served version");
    }
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
    List<String> subresources = new ArrayList<>();
    if (version.path("subresources").has("status")) {
      subresources.add("status");
    }
    String scope = spec.path("scope").asText("Namespaced");
    return new ResourceType(
        group,
        version.path("name").asText(),
        kind,
        plural,
        names.path("singular").asText(kind.toLowerCase(Locale.ROOT)),
        shortNames,
        !scope.equals("Cluster"),
        subresources);
  }

  /** Sets the conditions a real server reports once the names are accepted. */
  static void establish(ObjectNode crd, Clock clock) {
    ObjectNode status = crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = ObjectRules.timestamp(clock);
    condition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", now);
    condition(
        conditions,
        "Established",
        "InitialNamesAccepted",
        "the initial names have been accepted",
        now);
    ArrayNode stored = status.putArray("storedVersions");
    stored.add(typeOf(crd).version());
  }

  private static void condition(
      ArrayNode conditions, String type, String reason, String message, String now) {
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", "True");
    c.put("lastTransitionTime", now);
    c.put("reason", reason);
    c.put("message", message);
  }
}
