package dev.flotilla.controlplane.application;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.model.Application;
import dev.flotilla.proto.agent.v1.Assignment;
import io.vertx.core.json.JsonObject;

/**
 * An Application as the control plane stores it.
 *
 * @param cluster the registered cluster its destination resolved to, or null
 * @param document the Argo CD Application document
 * @param revision commit SHA its targetRevision resolved to, or "" when unresolved; for a
 *     multi-source Application each source's, joined by commas ({@link SourceRevisions})
 * @param dispatchError why it is not sent to any agent, or null
 */
public record StoredApplication(
    String name,
    String applicationSet,
    String project,
    String cluster,
    JsonObject document,
    String revision,
    long generation,
    String dispatchError,
    boolean deleteResourcesOnRemoval) {

  public JsonObject spec() {
    JsonObject spec = document.getJsonObject("spec");
    return spec == null ? new JsonObject() : spec;
  }

  public String repoUrl() {
    JsonObject source = spec().getJsonObject("source");
    return source == null ? "" : source.getString("repoURL", "");
  }

  /**
   * The Git repository to poll for this Application: its repoURL, or "" when the source is a Helm
   * chart from a Helm repository or OCI registry (not Git: its agent resolves the chart version).
   */
  public String gitRepoUrl() {
    JsonObject source = spec().getJsonObject("source");
    if (source == null
        || !source.getString("chart", "").isEmpty()
        || repoUrl().startsWith("oci://")) {
      return "";
    }
    return repoUrl();
  }

  public String targetRevision() {
    JsonObject source = spec().getJsonObject("source");
    String r = source == null ? null : source.getString("targetRevision");
    return r == null || r.isEmpty() ? "HEAD" : r;
  }

  /**
   * The document, typed by core's parser. The JSON tree is converted by Vert.x's Jackson codec,
   * with no text in between.
   *
   * @throws IllegalArgumentException naming the field when a known field has the wrong type (a
   *     document stored before generation checked types)
   */
  public Application application() {
    return Application.parse(document.mapTo(ObjectNode.class));
  }

  /** True for an Application with {@code spec.sources}: its sources are resolved one by one. */
  public boolean isMultiSource() {
    return !SourceRevisions.sources(spec()).isEmpty();
  }

  /**
   * True when {@code otherSpec} has the same sources (repositories, revisions, charts, in order):
   * this Application's per-source revisions still belong to them.
   */
  public boolean hasSourcesOf(JsonObject otherSpec) {
    return SourceRevisions.resolvedFor(spec()).equals(SourceRevisions.resolvedFor(otherSpec));
  }

  public Assignment toAssignment() {
    Assignment.Builder a =
        Assignment.newBuilder()
            .setName(name)
            .setProject(project)
            .setGeneration(generation)
            .setSpecJson(spec().encode())
            .setDeleteResourcesOnRemoval(deleteResourcesOnRemoval);
    if (isMultiSource()) {
      a.addAllSourceRevisions(
          SourceRevisions.split(revision, SourceRevisions.sources(spec()).size()));
    } else {
      a.setRevision(revision);
    }
    return a.build();
  }
}
