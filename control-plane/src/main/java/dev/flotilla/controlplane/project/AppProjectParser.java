package dev.flotilla.controlplane.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.controlplane.identity.Names;
import dev.flotilla.core.project.ProjectResourceRules;
import dev.flotilla.core.project.SyncWindows;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import io.vertx.core.json.JsonObject;

/**
 * Reads and validates an {@code argoproj.io/v1alpha1 AppProject} (YAML or JSON) with the bounded
 * loader: at most {@link #MAX_DOCUMENT_BYTES}, before and after alias expansion.
 */
public final class AppProjectParser {

  /** Largest AppProject document, before and after YAML alias expansion (UTF-8 bytes). */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  private static final BoundedYaml YAML = new BoundedYaml(MAX_DOCUMENT_BYTES);

  private AppProjectParser() {}

  /**
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static JsonObject parse(String text) {
    JsonNode root;
    try {
      root = YAML.read(text);
    } catch (YamlException e) {
      throw new IllegalArgumentException("not valid YAML or JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected an AppProject document (a mapping)");
    }
    if (!"argoproj.io/v1alpha1".equals(root.path("apiVersion").asText())) {
      throw new IllegalArgumentException("apiVersion: must be argoproj.io/v1alpha1");
    }
    if (!"AppProject".equals(root.path("kind").asText())) {
      throw new IllegalArgumentException(
          "kind: must be AppProject, got '" + root.path("kind").asText() + "'");
    }
    Names.requireDnsSubdomain("metadata.name", root.path("metadata").path("name").asText(""));
    JsonNode spec = root.path("spec");
    if (!spec.isMissingNode() && !spec.isObject()) {
      throw new IllegalArgumentException("spec: must be a mapping");
    }
    JsonNode repos = spec.path("sourceRepos");
    if (!repos.isMissingNode()) {
      if (!repos.isArray()) {
        throw new IllegalArgumentException(
            "spec.sourceRepos: must be a list of repository URL globs");
      }
      for (int i = 0; i < repos.size(); i++) {
        if (!repos.get(i).isTextual()) {
          throw new IllegalArgumentException("spec.sourceRepos[" + i + "]: must be a string");
        }
      }
    }
    JsonNode destinations = spec.path("destinations");
    if (!destinations.isMissingNode()) {
      if (!destinations.isArray()) {
        throw new IllegalArgumentException("spec.destinations: must be a list");
      }
      for (int i = 0; i < destinations.size(); i++) {
        JsonNode d = destinations.get(i);
        if (!d.isObject()) {
          throw new IllegalArgumentException("spec.destinations[" + i + "]: must be a mapping");
        }
        for (String field : new String[] {"server", "name", "namespace"}) {
          if (d.has(field) && !d.get(field).isTextual()) {
            throw new IllegalArgumentException(
                "spec.destinations[" + i + "]." + field + ": must be a string");
          }
        }
      }
    }
    ProjectResourceRules.validate(spec);
    SyncWindows.parse(spec.path("syncWindows"));
    return new JsonObject(root.toString());
  }
}
