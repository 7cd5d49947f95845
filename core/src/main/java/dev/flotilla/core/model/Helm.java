package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Argo CD's {@code source.helm}; value files are paths relative to the chart.
 *
 * @param releaseName null when absent
 * @param namespace null when absent
 * @param values the {@code values} text, null when absent
 * @param valuesObject {@code valuesObject}, null when absent
 * @param unknown fields the model does not know (fileParameters, version...), kept as they are
 */
public record Helm(
    String releaseName,
    String namespace,
    List<String> valueFiles,
    boolean ignoreMissingValueFiles,
    String values,
    ObjectNode valuesObject,
    List<HelmParameter> parameters,
    boolean skipCrds,
    ObjectNode unknown) {

  public Helm {
    valueFiles = Nodes.list(valueFiles);
    valuesObject = Nodes.copyOrNull(valuesObject);
    parameters = Nodes.list(parameters);
    unknown = Nodes.copy(unknown);
  }
}
