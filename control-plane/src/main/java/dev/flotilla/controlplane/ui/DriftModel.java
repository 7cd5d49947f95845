package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.drift.DriftReport;
import java.time.Instant;

/**
 * The Fleet drift page.
 *
 * @param report null when the filters were refused
 * @param error why the filters were refused; empty when they were not
 */
public record DriftModel(
    PageChrome chrome, DriftPageQuery query, DriftReport report, String error, Instant now) {

  public int pages() {
    return report == null ? 1 : DriftPageQuery.pages(report.total());
  }
}
