package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.HistoryEntry;

/**
 * One deployment as the History table shows it.
 *
 * @param took how long its sync operation ran ("42s", "3m 5s"); empty when unknown
 * @param current the newest deployment, which is what runs: nothing to roll back to
 */
public record HistoryRow(HistoryEntry entry, String took, boolean current) {

  /** "automated" or the person who asked, as Argo CD's history says it. */
  public String who() {
    return HistoryEntry.AUTOMATED.equals(entry.operation()) ? "automated" : entry.initiatedBy();
  }
}
