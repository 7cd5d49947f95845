package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.BuiltinTypes;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/G, /apis/G/V. kubectl
 * asks for aggregated discovery first and falls back to these when the answer is plain JSON. Built
 * from the store's types on every request, so a new CRD appears at once.
 */
final class Discovery {

  static final String GIT_VERSION = "v1.32.0-simulated";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ObjectStore store;

  Discovery(ObjectStore store) {
    this.store = store;
  }

  static ObjectNode version() {
    ObjectNode v = F.objectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "none (SIMULATED by Flotilla)");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  ObjectNode coreVersions(String serverAddress) {
    ObjectNode o = F.objectNode();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return o;
  }

  ObjectNode groupList() {
    ObjectNode o = F.objectNode();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    groupVersions().forEach((group, versions) -> groups.add(group(group, versions)));
    return o;
  }

  /** The APIGroup document, or null if no type of the group is served. */
  ObjectNode group(String name) {
    Set<String> versions = groupVersions().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode g = group(name, versions);
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return g;
  }

  /** The APIResourceList of one group version, or null if nothing is served there. */
  ObjectNode resources(String group, String version) {
    List<ResourceType> types =
        store.types().stream()
            .filter(t -> t.group().equals(group) && t.version().equals(version))
            .toList();
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode o = F.objectNode();
    o.put("kind", "APIResourceList");
    o.put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      VERBS.forEach(r.putArray("verbs")::add);
      if (!t.shortNames().isEmpty()) {
        t.shortNames().forEach(r.putArray("shortNames")::add);
      }
      List<String> categories = BuiltinTypes.categories(t);
      if (!categories.isEmpty()) {
        categories.forEach(r.putArray("categories")::add);
      }
      for (String sub : t.subresources()) {
        resources.add(subresource(t, sub));
      }
    }
    return o;
  }

  private static ObjectNode subresource(ResourceType t, String sub) {
    ObjectNode r = F.objectNode();
    r.put("name", t.plural() + "/" + sub);
    r.put("singularName", "");
    r.put("namespaced", t.namespaced());
    switch (sub) {
      case "scale" -> {
        r.put("group", "autoscaling");
        r.put("version", "v1");
        r.put("kind", "Scale");
        List.of("get", "patch", "update").forEach(r.putArray("verbs")::add);
      }
      case "log" -> {
        r.put("kind", t.kind());
        r.putArray("verbs").add("get");
      }
      default -> {
        r.put("kind", t.kind());
        List.of("get", "patch", "update").forEach(r.putArray("verbs")::add);
      }
    }
    return r;
  }

  private Map<String, Set<String>> groupVersions() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (ResourceType t : store.types()) {
      if (!t.group().isEmpty()) {
        groups.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
      }
    }
    return groups;
  }

  private static ObjectNode group(String name, Set<String> versions) {
    ObjectNode g = F.objectNode();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    String preferred = versions.iterator().next();
    ObjectNode p = g.putObject("preferredVersion");
    p.put("groupVersion", name + "/" + preferred);
    p.put("version", preferred);
    return g;
  }
}
