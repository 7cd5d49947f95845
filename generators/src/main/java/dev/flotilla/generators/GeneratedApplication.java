package dev.flotilla.generators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Argo CD {@code argoproj.io/v1alpha1 Application} rendered from an ApplicationSet template.
 *
 * @param document the whole Application document (apiVersion, kind, metadata, spec)
 */
public record GeneratedApplication(String name, ObjectNode document) {

  public ObjectNode spec() {
    return (ObjectNode) document.path("spec");
  }

  public String project() {
    return text(spec().path("project"));
  }

  public String destinationName() {
    return text(spec().path("destination").path("name"));
  }

  public String destinationServer() {
    return text(spec().path("destination").path("server"));
  }

  public String destinationNamespace() {
    return text(spec().path("destination").path("namespace"));
  }

  /** {@code spec.source.repoURL} (single-source Applications). */
  public String repoUrl() {
    return text(spec().path("source").path("repoURL"));
  }

  /** {@code spec.source.targetRevision}, defaulting to HEAD as Argo CD does. */
  public String targetRevision() {
    String revision = text(spec().path("source").path("targetRevision"));
    return revision.isEmpty() ? "HEAD" : revision;
  }

  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : "";
  }
}
