package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Argo CD's {@code source.kustomize}.
 *
 * @param unknown fields the model does not know (commonLabels, patches...), kept as they are
 */
public record Kustomize(
    String namePrefix,
    String nameSuffix,
    String namespace,
    List<String> images,
    ObjectNode unknown) {

  public Kustomize {
    images = Nodes.list(images);
    unknown = Nodes.copy(unknown);
  }
}
