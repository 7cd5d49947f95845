package dev.flotilla.controlplane.appofapps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.appofapps.plan.ChildKey;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.controlplane.appofapps.plan.DesiredChild;
import dev.flotilla.controlplane.identity.Names;
import dev.flotilla.controlplane.project.AppProjectParser;
import dev.flotilla.core.digest.Digests;
import dev.flotilla.core.model.Application;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.InvalidApplicationSetException;
import dev.flotilla.generators.TemplateProjects;
import dev.flotilla.render.ControlPlaneObjects;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The children a parent's rendered objects declare: each Argo CD object cleaned to what the control
 * plane stores (no namespace, status or operation: it is no cluster object here) and checked as the
 * API would check it, so that a bad one is refused by name and the rest proceed.
 */
final class ChildDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChildDocuments() {}

  /** Whether a rendered object is one the control plane takes instead of a cluster. */
  static boolean isChild(JsonNode object) {
    return ControlPlaneObjects.isControlPlaneObject(object);
  }

  /** The children among {@code rendered}, in manifest order. */
  static List<DesiredChild> of(List<ObjectNode> rendered) {
    List<DesiredChild> out = new ArrayList<>();
    for (ObjectNode object : rendered) {
      Optional<ChildKind> kind =
          ChildKind.of(object.path("apiVersion").asText(""), object.path("kind").asText(""));
      kind.ifPresent(k -> out.add(child(k, object)));
    }
    return out;
  }

  private static DesiredChild child(ChildKind kind, ObjectNode object) {
    String name = object.path("metadata").path("name").asText("");
    ObjectNode document = cleaned(object);
    String digest = Digests.sha256Hex(text(document));
    ChildKey key = new ChildKey(kind, name);
    try {
      Names.requireDnsSubdomain("metadata.name", name);
      if (!object.path("apiVersion").asText("").equals("argoproj.io/v1alpha1")) {
        throw new IllegalArgumentException(
            "apiVersion: must be argoproj.io/v1alpha1, got '"
                + object.path("apiVersion").asText("")
                + "'");
      }
      Set<String> projects =
          switch (kind) {
            case APPLICATION -> Set.of(projectOrDefault(Application.parse(document).project()));
            case APPLICATION_SET ->
                TemplateProjects.names(ApplicationSetParser.validate(document).document());
            case APP_PROJECT -> {
              AppProjectParser.parse(text(document));
              yield Set.of();
            }
          };
      return new DesiredChild(key, document, digest, projects, null);
    } catch (IllegalArgumentException | InvalidApplicationSetException e) {
      return new DesiredChild(key, document, digest, Set.of(), e.getMessage());
    }
  }

  private static String projectOrDefault(String project) {
    return project.isEmpty() ? TemplateProjects.DEFAULT_PROJECT : project;
  }

  /** apiVersion, kind, metadata (name, labels, annotations, finalizers) and spec. */
  static ObjectNode cleaned(ObjectNode object) {
    ObjectNode out = JSON.createObjectNode();
    out.set("apiVersion", object.path("apiVersion"));
    out.set("kind", object.path("kind"));
    ObjectNode metadata = out.putObject("metadata");
    JsonNode m = object.path("metadata");
    metadata.set("name", m.path("name"));
    for (String field : List.of("labels", "annotations", "finalizers")) {
      if (m.has(field)) {
        metadata.set(field, m.get(field));
      }
    }
    if (object.has("spec")) {
      out.set("spec", object.get("spec"));
    }
    return out;
  }

  static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
