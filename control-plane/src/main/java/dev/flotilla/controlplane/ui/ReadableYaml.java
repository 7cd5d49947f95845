package dev.flotilla.controlplane.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A stored Kubernetes-style document as YAML in the order people write it. Postgres {@code jsonb}
 * keeps no key order (it puts {@code kind} before {@code apiVersion} and {@code spec} before {@code
 * metadata}), which makes a spec hard to read and to edit; the well-known keys come first in their
 * usual order, any other key after them alphabetically.
 */
public final class ReadableYaml {

  /** Keys in the order Argo CD's documentation writes them; the rest follow, sorted. */
  static final List<String> ORDER =
      List.of(
          "apiVersion",
          "kind",
          "metadata",
          "name",
          "namespace",
          "labels",
          "annotations",
          "finalizers",
          "spec",
          "goTemplate",
          "goTemplateOptions",
          "generators",
          "template",
          "templatePatch",
          "project",
          "source",
          "sources",
          "repoURL",
          "revision",
          "chart",
          "targetRevision",
          "path",
          "destination",
          "server",
          "syncPolicy",
          "status");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private static final Comparator<String> KEYS =
      Comparator.comparingInt((String k) -> ORDER.contains(k) ? ORDER.indexOf(k) : ORDER.size())
          .thenComparing(Comparator.naturalOrder());

  private ReadableYaml() {}

  public static String of(JsonObject document) {
    try {
      return YAML.writeValueAsString(ordered(JSON.readTree(document.encode())));
    } catch (JsonProcessingException e) {
      // Ours, stored as JSON: cannot happen; JSON is YAML too.
      return document.encodePrettily();
    }
  }

  private static JsonNode ordered(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      keys.sort(KEYS);
      ObjectNode out = JSON.createObjectNode();
      for (String key : keys) {
        out.set(key, ordered(object.get(key)));
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = JSON.createArrayNode();
      array.forEach(item -> out.add(ordered(item)));
      return out;
    }
    return node;
  }
}
