package dev.flotilla.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.model.ApplicationParser;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.core.model.Destination;
import dev.flotilla.core.model.Source;
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

  /**
   * Reads an Argo CD Application's {@code spec} through the typed model.
   *
   * @throws IllegalArgumentException naming the field when a known field has the wrong type
   */
  public static ApplicationPlacement of(String name, JsonNode spec) {
    return of(name, ApplicationParser.parseSpec(spec));
  }

  /** The placement of a typed spec: absent fields read as empty. */
  public static ApplicationPlacement of(String name, ApplicationSpec spec) {
    List<String> repos = new ArrayList<>();
    for (Source source : spec.allSources()) {
      repos.add(text(source.repoURL()));
    }
    Destination destination = spec.destination();
    return new ApplicationPlacement(
        name,
        text(spec.project()),
        repos,
        text(destination.server()),
        text(destination.name()),
        text(destination.namespace()));
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
