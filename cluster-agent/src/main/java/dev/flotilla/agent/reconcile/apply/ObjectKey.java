package dev.flotilla.agent.reconcile.apply;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Identity of a Kubernetes object. Equality ignores the version: {@code apps/v1} and a later {@code
 * apps/v2} Deployment named the same are one object.
 */
public record ObjectKey(String group, String version, String kind, String namespace, String name) {

  public ObjectKey {
    group = group == null ? "" : group;
    namespace = namespace == null ? "" : namespace;
  }

  public static ObjectKey of(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    JsonNode meta = object.path("metadata");
    return new ObjectKey(
        group,
        version,
        object.path("kind").asText(""),
        meta.path("namespace").asText(""),
        meta.path("name").asText(""));
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The key without version, for set membership. */
  public ObjectKey unversioned() {
    return new ObjectKey(group, "", kind, namespace, name);
  }

  /** The type this object is of (group/version/kind). */
  public ObjectType type() {
    return new ObjectType(group, version, kind);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKey k
        && group.equals(k.group)
        && kind.equals(k.kind)
        && namespace.equals(k.namespace)
        && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(group, kind, namespace, name);
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "" : group + "/")
        + kind
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + name;
  }
}
