package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One {@code ignoreDifferences} entry: fields, by JSON pointer, of matching objects.
 *
 * @param group null when absent (the core group)
 * @param name null when absent (any name)
 * @param namespace null when absent (any namespace)
 * @param unknown fields the model does not know (jqPathExpressions...), kept as they are
 */
public record IgnoreDifference(
    String group,
    String kind,
    String name,
    String namespace,
    List<String> jsonPointers,
    ObjectNode unknown) {

  public IgnoreDifference {
    jsonPointers = Nodes.list(jsonPointers);
    unknown = Nodes.copy(unknown);
  }
}
