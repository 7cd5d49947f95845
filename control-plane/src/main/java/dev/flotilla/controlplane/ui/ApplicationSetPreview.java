package dev.flotilla.controlplane.ui;

import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GenerationResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a dry-run generate of an edited spec would produce, against what the set has now: the
 * Applications it would produce (each marked new or not), those it no longer produces, and its
 * errors. Nothing is stored by a preview.
 *
 * @param removed Applications the set has now (of those the caller may see) that the edited spec
 *     does not produce
 * @param removalNote whether and why those would be kept rather than deleted, as the generation's
 *     safety rules decide; empty when there is nothing to remove
 */
public record ApplicationSetPreview(
    List<Produced> applications,
    List<String> removed,
    String removalNote,
    List<GenerationError> errors) {

  /**
   * One Application the edited spec would produce.
   *
   * @param added true when the set does not have it now
   */
  public record Produced(
      String name, String project, String destination, String source, boolean added) {}

  /**
   * @param now the names of the Applications the set has now that the caller may see; a hidden one
   *     is neither listed as removed nor told apart from a new one
   */
  public static ApplicationSetPreview of(GenerationResult result, Collection<String> now) {
    Set<String> current = new TreeSet<>(now);
    Set<String> produced = new TreeSet<>();
    List<Produced> apps = new ArrayList<>();
    for (GeneratedApplication a : result.applications()) {
      produced.add(a.name());
      apps.add(
          new Produced(
              a.name(), a.project(), destination(a), source(a), !current.contains(a.name())));
    }
    List<String> removed = current.stream().filter(n -> !produced.contains(n)).toList();
    return new ApplicationSetPreview(
        List.copyOf(apps), removed, removalNote(result, removed), result.errors());
  }

  public long addedCount() {
    return applications.stream().filter(Produced::added).count();
  }

  /** The generation's keep rules (GenerationPlanner), said for the preview's reader. */
  private static String removalNote(GenerationResult result, List<String> removed) {
    if (removed.isEmpty()) {
      return "";
    }
    if (result.hasErrors()) {
      return "Kept: generation had errors, and a generation with errors deletes nothing.";
    }
    if (result.applications().isEmpty()) {
      return "Kept: the generators returned nothing, so nothing is deleted unless the"
          + " ApplicationSet is annotated flotilla.dev/allow-empty-generation=\"true\".";
    }
    return "Deleted if the applicationsSync policy allows deleting (sync or create-delete),"
        + " otherwise kept.";
  }

  private static String destination(GeneratedApplication a) {
    String cluster = a.destinationName().isEmpty() ? a.destinationServer() : a.destinationName();
    String namespace = a.destinationNamespace();
    return namespace.isEmpty() ? cluster : cluster + " / " + namespace;
  }

  private static String source(GeneratedApplication a) {
    String repo = a.repoUrl();
    String path = a.spec().path("source").path("path").asText("");
    String chart = a.spec().path("source").path("chart").asText("");
    String where = !path.isEmpty() ? path : chart;
    return (where.isEmpty() ? repo : repo + " " + where) + "@" + a.targetRevision();
  }
}
