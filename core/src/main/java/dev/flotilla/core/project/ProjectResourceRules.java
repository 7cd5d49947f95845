package dev.flotilla.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.glob.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An AppProject's {@code clusterResourceWhitelist}, {@code clusterResourceBlacklist}, {@code
 * namespaceResourceWhitelist} and {@code namespaceResourceBlacklist}: validated when the project is
 * applied, and read into the {@link ResourceRules} every assignment of the project carries to the
 * agent, which checks rendered objects against them with {@link ResourcePermissions}.
 */
public final class ProjectResourceRules {

  static final String CLUSTER_ALLOW = "clusterResourceWhitelist";
  static final String CLUSTER_DENY = "clusterResourceBlacklist";
  static final String NAMESPACE_ALLOW = "namespaceResourceWhitelist";
  static final String NAMESPACE_DENY = "namespaceResourceBlacklist";
  private static final int MAX_ENTRIES = 1000;

  private ProjectResourceRules() {}

  /**
   * The rules of an AppProject document (already validated by {@link #validate}). A field that is
   * absent or null is "not set": for {@code namespaceResourceWhitelist} that permits every
   * namespaced kind, whereas an empty list permits none, as in Argo CD.
   */
  public static ResourceRules of(String project, JsonNode spec) {
    JsonNode namespaceAllow = spec.path(NAMESPACE_ALLOW);
    return new ResourceRules(
        project,
        entries(spec.path(CLUSTER_ALLOW)),
        entries(spec.path(CLUSTER_DENY)),
        namespaceAllow.isArray() ? Optional.of(entries(namespaceAllow)) : Optional.empty(),
        entries(spec.path(NAMESPACE_DENY)),
        Optional.empty());
  }

  private static List<ResourceRule> entries(JsonNode list) {
    List<ResourceRule> out = new ArrayList<>();
    for (JsonNode e : list) {
      out.add(
          new ResourceRule(
              e.path("group").asText(""), e.path("kind").asText(""), e.path("name").asText("")));
    }
    return out;
  }

  /**
   * Checks the four lists of {@code spec}.
   *
   * @throws IllegalArgumentException naming the field, e.g. {@code
   *     spec.clusterResourceWhitelist[0].kind: required ('*' for every kind)}
   */
  public static void validate(JsonNode spec) {
    for (String field : List.of(CLUSTER_ALLOW, CLUSTER_DENY, NAMESPACE_ALLOW, NAMESPACE_DENY)) {
      JsonNode list = spec.path(field);
      // "field:" with no value is null in YAML (the YAML reader hands it over as "").
      if (list.isMissingNode() || list.isNull() || (list.isTextual() && list.asText().isEmpty())) {
        continue;
      }
      String path = "spec." + field;
      if (!list.isArray()) {
        throw new IllegalArgumentException(
            path + ": must be a list of {group, kind} entries, e.g. [{group: 'apps', kind: '*'}]");
      }
      if (list.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException(
            path + ": at most " + MAX_ENTRIES + " entries, got " + list.size());
      }
      for (int i = 0; i < list.size(); i++) {
        entry(list.get(i), path + "[" + i + "]");
      }
    }
  }

  private static void entry(JsonNode e, String path) {
    if (!e.isObject()) {
      throw new IllegalArgumentException(path + ": must be a mapping with group and kind");
    }
    JsonNode group = e.get("group");
    if (group == null || group.isNull()) {
      throw new IllegalArgumentException(
          path + ".group: required ('' for the core API group, '*' for every group)");
    }
    JsonNode kind = e.get("kind");
    if (kind == null || kind.isNull() || (kind.isTextual() && kind.asText().isEmpty())) {
      throw new IllegalArgumentException(path + ".kind: required ('*' for every kind)");
    }
    pattern(group, path + ".group");
    pattern(kind, path + ".kind");
    JsonNode name = e.get("name");
    if (name != null && !name.isNull()) {
      pattern(name, path + ".name");
    }
  }

  private static void pattern(JsonNode value, String path) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(path + ": must be a string");
    }
    var error = Glob.error(value.asText(), Glob.Mode.RESOURCE);
    if (error.isPresent()) {
      throw new IllegalArgumentException(
          path + ": '" + value.asText() + "' is not a valid pattern: " + error.get());
    }
  }
}
