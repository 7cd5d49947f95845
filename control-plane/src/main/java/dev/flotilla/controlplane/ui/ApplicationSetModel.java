package dev.flotilla.controlplane.ui;

import java.time.Instant;
import java.util.List;

/**
 * One ApplicationSet's page.
 *
 * @param apps the first of its Applications the caller may see, by name
 * @param yaml the stored document as YAML
 * @param mayPreview whether the caller may run a preview ({@code applicationsets, create})
 * @param specText what the preview form holds: the stored document, or the spec last previewed
 * @param preview the last preview's result, or null when none ran (or it failed)
 * @param previewError why the last preview could not run (the parser's or the policy's words), or
 *     empty
 */
public record ApplicationSetModel(
    PageChrome chrome,
    ApplicationSetSummary set,
    List<AppSummary> apps,
    String yaml,
    boolean mayPreview,
    String specText,
    ApplicationSetPreview preview,
    String previewError,
    Instant now) {

  /** How many of its visible Applications are not listed on the page. */
  public long moreApps() {
    return Math.max(0, set.apps().total() - apps.size());
  }
}
