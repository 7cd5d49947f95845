package dev.flotilla.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an AppProject judges about an Application: its project, where it comes from and where it
 * goes. Read from the Application's spec by whichever side holds it (generated, stored or
 * assigned), so that every check sees the same fields.
 *
 * @param project {@code spec.project}, empty when absent
 * @param sourceRepos {@code spec.source.repoURL} and every {@code spec.sources[].repoURL}
 */
public record ApplicationPlacement(
    String name,
    String project,
    List<String> sourceRepos,
    String destinationServer,
    String destinationName,
    String destinationNamespace) {

  public ApplicationPlacement {
    sourceRepos = List.copyOf(sourceRepos);
  }

  /** Reads an Argo CD Application's {@code spec}. */
  public static ApplicationPlacement of(String name, JsonNode spec) {
    List<String> repos = new ArrayList<>();
    if (spec.path("source").isObject()) {
      repos.add(spec.path("source").path("repoURL").asText(""));
    }
    for (JsonNode source : spec.path("sources")) {
      repos.add(source.path("repoURL").asText(""));
    }
    JsonNode destination = spec.path("destination");
    return new ApplicationPlacement(
        name,
        text(spec.path("project")),
        repos,
        text(destination.path("server")),
        text(destination.path("name")),
        text(destination.path("namespace")));
  }

  /** A scalar's text; empty for an absent field or a mapping where a scalar belongs. */
  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : "";
  }
}
