package dev.flotilla.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks Kubernetes manifests as strictly as {@code kubectl apply --validate=strict} would with the
 * cluster's schemas at hand, without a cluster: built-in kinds are read into fabric8's model and
 * any field the model does not know is an error (fabric8 keeps unknown fields aside instead of
 * failing, so this walks the model for them); kinds of the operators we rely on (cert-manager,
 * CloudNativePG, prometheus-operator) are checked against their CRDs' schemas, kept in
 * src/test/resources/crd-schemas (see the README there for their source).
 */
final class ManifestValidator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLFactory YAML = new YAMLFactory();
  private final KubernetesSerialization kube = new KubernetesSerialization();

  /** Every problem of every document in {@code yaml}, each prefixed with {@code source}. */
  List<String> validate(String source, String yaml) {
    List<String> errors = new ArrayList<>();
    List<JsonNode> docs;
    try {
      docs = documents(yaml);
    } catch (IOException e) {
      errors.add(source + ": not YAML: " + e.getMessage());
      return errors;
    }
    for (int i = 0; i < docs.size(); i++) {
      JsonNode doc = docs.get(i);
      String where = source + " document " + (i + 1) + " (" + describe(doc) + ")";
      List<String> found = new ArrayList<>();
      validateOne(doc, found);
      found.forEach(e -> errors.add(where + ": " + e));
    }
    return errors;
  }

  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = YAML.createParser(yaml)) {
      var it = JSON.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private void validateOne(JsonNode doc, List<String> errors) {
    if (!doc.isObject() || !doc.hasNonNull("apiVersion") || !doc.hasNonNull("kind")) {
      errors.add("every document needs apiVersion and kind");
      return;
    }
    JsonNode schema = crdSchema(doc.get("apiVersion").asText(), doc.get("kind").asText());
    if (schema != null) {
      ObjectNode body = ((ObjectNode) doc).deepCopy();
      JsonNode metadata = body.remove("metadata");
      body.remove("apiVersion");
      body.remove("kind");
      CrdSchemaValidator.validate(body, withoutTopLevel(schema), "", errors);
      if (metadata != null) {
        strict(convert(metadata, ObjectMeta.class, errors), "metadata", errors);
      }
      return;
    }
    Object typed;
    try {
      typed = kube.unmarshal(doc.toString());
    } catch (RuntimeException e) {
      errors.add("does not fit the Kubernetes model: " + rootMessage(e));
      return;
    }
    if (typed instanceof GenericKubernetesResource) {
      errors.add(
          "unknown kind "
              + doc.get("apiVersion").asText()
              + "/"
              + doc.get("kind").asText()
              + " (neither built in nor one of the CRDs in crd-schemas/)");
      return;
    }
    if (!(typed instanceof HasMetadata)) {
      errors.add("not a Kubernetes object");
      return;
    }
    strict(typed, "", errors);
  }

  private static ObjectNode withoutTopLevel(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    ObjectNode props = (ObjectNode) copy.path("properties");
    props.remove("metadata");
    props.remove("apiVersion");
    props.remove("kind");
    // metadata is checked on its own, against fabric8's ObjectMeta.
    JsonNode required = copy.path("required");
    if (required.isArray()) {
      var kept = JSON.createArrayNode();
      required.forEach(
          r -> {
            if (!List.of("metadata", "apiVersion", "kind").contains(r.asText())) {
              kept.add(r);
            }
          });
      copy.set("required", kept);
    }
    return copy;
  }

  private Object convert(JsonNode node, Class<?> type, List<String> errors) {
    try {
      return kube.convertValue(node, type);
    } catch (RuntimeException e) {
      errors.add("metadata: " + rootMessage(e));
      return null;
    }
  }

  /** Walks fabric8 model objects for fields the model kept aside as unknown. */
  static void strict(Object root, String path, List<String> errors) {
    walk(root, path, errors, new IdentityHashMap<>());
  }

  private static void walk(
      Object value, String path, List<String> errors, IdentityHashMap<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", errors, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        walk(e.getValue(), path + "." + e.getKey(), errors, seen);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = m.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          for (Object key : extra.keySet()) {
            errors.add(join(path, String.valueOf(key)) + ": unknown field");
          }
        }
        continue;
      }
      walk(child, join(path, property(m.getName())), errors, seen);
    }
  }

  private static String property(String getter) {
    String name = getter.substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static JsonNode crdSchema(String apiVersion, String kind) {
    String resource = "/crd-schemas/" + apiVersion.replace('/', '_') + "_" + kind + ".json";
    try (InputStream in = ManifestValidator.class.getResourceAsStream(resource)) {
      return in == null ? null : JSON.readTree(in).get("schema");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(JsonNode doc) {
    return doc.path("kind").asText("?") + " " + doc.path("metadata").path("name").asText("?");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
