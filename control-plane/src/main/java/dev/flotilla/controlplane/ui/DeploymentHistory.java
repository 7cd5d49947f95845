package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.HistoryEntry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The History table: deployments newest first, each with how long its sync took. A history entry
 * records only when it was deployed, so the duration comes from the operation log: the operation of
 * the same revision that started last before the deployment was recorded.
 */
public final class DeploymentHistory {

  private DeploymentHistory() {}

  /**
   * @param history as the service lists it, oldest first
   * @param operations the operation log in {@code SyncOperation}'s JSON shape, any order
   */
  public static List<HistoryRow> rows(List<HistoryEntry> history, List<JsonObject> operations) {
    List<HistoryRow> rows = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0; i--) {
      HistoryEntry e = history.get(i);
      rows.add(new HistoryRow(e, took(e, operations), i == history.size() - 1));
    }
    return rows;
  }

  private static String took(HistoryEntry e, List<JsonObject> operations) {
    if (e.deployedAt() == null) {
      return "";
    }
    Instant deployed = e.deployedAt().toInstant();
    Instant bestStart = null;
    Instant bestEnd = null;
    for (JsonObject op : operations) {
      Instant started = instant(op.getString("startedAt"));
      if (started == null
          || !e.revision().equals(op.getString("revision", ""))
          || started.isAfter(deployed)
          || (bestStart != null && !started.isAfter(bestStart))) {
        continue;
      }
      bestStart = started;
      bestEnd = instant(op.getString("finishedAt"));
    }
    if (bestStart == null) {
      return "";
    }
    return duration(Duration.between(bestStart, bestEnd == null ? deployed : bestEnd));
  }

  /** "850ms", "42s", "3m 5s", "2h 10m". */
  public static String duration(Duration d) {
    if (d.isNegative()) {
      return "";
    }
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    if (d.toSeconds() < 60) {
      return d.toSeconds() + "s";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }
    return d.toHours() + "h " + d.toMinutesPart() + "m";
  }

  private static Instant instant(String iso) {
    if (iso == null || iso.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
