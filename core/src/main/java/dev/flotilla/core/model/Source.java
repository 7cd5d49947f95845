package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Argo CD {@code source}: a path in a Git repository (or a chart in a Helm repository),
 * rendered by type. Text fields are null when absent, so that a round trip writes what was read.
 *
 * @param helm null when absent
 * @param kustomize null when absent
 * @param directory null when absent
 * @param unknown fields the model does not know (ref, plugin, name...), kept as they are
 */
public record Source(
    String repoURL,
    String path,
    String targetRevision,
    String chart,
    Helm helm,
    Kustomize kustomize,
    Directory directory,
    ObjectNode unknown) {

  public Source {
    unknown = Nodes.copy(unknown);
  }

  /** {@code targetRevision}, HEAD when absent or empty as in Argo CD. */
  public String targetRevisionOrHead() {
    return targetRevision == null || targetRevision.isEmpty() ? "HEAD" : targetRevision;
  }
}
