package dev.flotilla.generators;

import java.util.Map;

/** A registered cluster as the cluster generator sees it. */
public record ClusterInfo(
    String name, String server, Map<String, String> labels, Map<String, String> annotations) {

  public ClusterInfo {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
