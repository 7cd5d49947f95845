package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An Argo CD {@code argoproj.io/v1alpha1 Application}: the one typed model the generators, the
 * control plane and the agent share. Read with {@link ApplicationParser}, written back with {@link
 * ApplicationWriter}.
 *
 * @param name {@code metadata.name}, null when absent
 * @param namespace {@code metadata.namespace}, null when absent
 * @param unknownMetadata the fields of {@code metadata} the model does not know (uid,
 *     ownerReferences...), kept so that they survive a round trip
 * @param unknown the top-level fields other than metadata and spec (apiVersion, kind, status...)
 */
public record Application(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> finalizers,
    ApplicationSpec spec,
    ObjectNode unknownMetadata,
    ObjectNode unknown) {

  public Application {
    labels = Nodes.map(labels);
    annotations = Nodes.map(annotations);
    finalizers = Nodes.list(finalizers);
    spec = spec == null ? ApplicationSpec.EMPTY : spec;
    unknownMetadata = Nodes.copy(unknownMetadata);
    unknown = Nodes.copy(unknown);
  }

  /** Parses a whole Application document; see {@link ApplicationParser#parse(JsonNode)}. */
  public static Application parse(JsonNode document) {
    return ApplicationParser.parse(document);
  }

  public ObjectNode toJson() {
    return ApplicationWriter.write(this);
  }

  /** {@code spec.project}, empty when absent. */
  public String project() {
    return spec.project() == null ? "" : spec.project();
  }
}
