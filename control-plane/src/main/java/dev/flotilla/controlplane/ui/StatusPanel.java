package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationCondition;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.SyncWindowNote;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What the Application page's status panel adds to sync and health: the commit the revision names,
 * the conditions, and the sync window that decides now.
 *
 * @param commitSha "" when the commit is not known (an agent older than commit reports, a chart)
 * @param commitDate null when not known
 * @param window null when no sync window applies
 */
public record StatusPanel(
    String commitSha,
    String commitAuthor,
    String commitSubject,
    Instant commitDate,
    List<ApplicationCondition> conditions,
    SyncWindowNote window) {

  public static StatusPanel of(ApplicationView app, Optional<SyncWindowNote> window) {
    JsonObject c = app.commit() == null ? new JsonObject() : app.commit();
    return new StatusPanel(
        c.getString("sha", ""),
        c.getString("author", ""),
        c.getString("subject", ""),
        date(c.getString("date")),
        ApplicationCondition.of(app),
        window.orElse(null));
  }

  public boolean hasCommit() {
    return !commitSha.isEmpty();
  }

  /** The window panel's CSS classes: its kind, and "blocked" while automated sync is. */
  public String windowClass() {
    return window == null ? "" : "window-" + window.kind() + (window.blocked() ? " blocked" : "");
  }

  /** The window panel's one-line verdict. */
  public String windowHeadline() {
    if (window == null) {
      return "";
    }
    if (window.kind().equals("deny") && window.active()) {
      return "Deny window active now";
    }
    if (window.blocked()) {
      return "Automated sync blocked";
    }
    return "Allow window open now";
  }

  private static Instant date(String text) {
    try {
      return text == null ? null : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null; // a stored value we cannot read only loses its "ago"
    }
  }
}
