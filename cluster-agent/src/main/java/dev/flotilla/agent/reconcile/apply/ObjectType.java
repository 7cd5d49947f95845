package dev.flotilla.agent.reconcile.apply;

/** A group/version/kind. */
public record ObjectType(String group, String version, String kind) {

  public ObjectType {
    group = group == null ? "" : group;
  }

  public static ObjectType of(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new ObjectType("", apiVersion, kind)
        : new ObjectType(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  @Override
  public String toString() {
    return apiVersion() + " " + kind;
  }
}
