package dev.flotilla.generators;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Argo CD {@code argoproj.io/v1alpha1 ApplicationSet}, kept as its document so that fields this
 * version does not model survive a round trip. Create one with {@link ApplicationSetParser}.
 *
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace}, or {@code null}
 * @param document the whole document (apiVersion, kind, metadata, spec); never mutated after
 *     parsing
 */
public record ApplicationSet(String name, String namespace, ObjectNode document) {

  public ObjectNode spec() {
    return (ObjectNode) document.get("spec");
  }
}
