package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough OpenAPI v3 for kubectl: per group version, one PATCH operation per resource, tagged
 * with its group/version/kind and declaring the {@code fieldValidation} parameter. kubectl then
 * leaves validation to the server (which accepts every field) instead of downloading schemas, and
 * computes apply patches from its compiled-in types. No schemas are served: {@code kubectl explain}
 * is not simulated.
 */
final class OpenApiV3 {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final ObjectStore store;

  OpenApiV3(ObjectStore store) {
    this.store = store;
  }

  /** {@code /openapi/v3}: the group versions and where their documents are. */
  ObjectNode root() {
    ObjectNode root = F.objectNode();
    ObjectNode paths = root.putObject("paths");
    for (Map.Entry<String, List<ResourceType>> gv : byGroupVersion().entrySet()) {
      String path = gv.getKey();
      paths
          .putObject(path)
          .put(
              "serverRelativeURL",
              "/openapi/v3/" + path + "?hash=" + hash(document(gv.getValue())));
    }
    return root;
  }

  /** {@code /openapi/v3/apis/G/V} (or {@code api/v1}), or null when nothing is served there. */
  ObjectNode groupVersion(String path) {
    List<ResourceType> types = byGroupVersion().get(path);
    return types == null ? null : document(types);
  }

  private Map<String, List<ResourceType>> byGroupVersion() {
    Map<String, List<ResourceType>> out = new LinkedHashMap<>();
    for (ResourceType t : store.types()) {
      String path =
          t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
      out.computeIfAbsent(path, p -> new java.util.ArrayList<>()).add(t);
    }
    return out;
  }

  private static ObjectNode document(List<ResourceType> types) {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes (SIMULATED by Flotilla)")
        .put("version", Discovery.GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : types) {
      String prefix =
          t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version();
      String path =
          prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch.put("operationId", "patch" + t.kind());
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", t.group());
      gvk.put("version", t.version());
      gvk.put("kind", t.kind());
      patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query");
    }
    return doc;
  }

  private static String hash(ObjectNode doc) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
