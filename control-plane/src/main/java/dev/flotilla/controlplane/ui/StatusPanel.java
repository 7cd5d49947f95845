package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationCondition;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.SyncWindowNote;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Application page's status panel adds to sync and health: the commit the revision names,
 * the conditions (an App of Apps parent's among them), the sync window that decides now, and what a
 * parent declares.
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
    SyncWindowNote window,
    List<Child> children) {

  /**
   * One object an App of Apps parent declares.
   *
   * @param kind Application, ApplicationSet or AppProject
   */
  public record Child(String kind, String name) {

    /** Where the web UI shows it. */
    public String href() {
      return switch (kind) {
        case "Application" -> "/applications/" + UiText.urlEncode(name);
        case "ApplicationSet" -> "/applicationsets/" + UiText.urlEncode(name);
        default -> "/projects";
      };
    }
  }

  /**
   * @param declared what the Application declares as an App of Apps parent ({@link
   *     ParentChildren}); empty for one that is none
   */
  public static StatusPanel of(
      ApplicationView app, Optional<SyncWindowNote> window, JsonObject declared) {
    JsonObject c = app.commit() == null ? new JsonObject() : app.commit();
    List<ApplicationCondition> conditions = new ArrayList<>(ApplicationCondition.of(app));
    List<Child> children = new ArrayList<>();
    for (Object o : declared.getJsonArray("conditions", new JsonArray())) {
      JsonObject pc = (JsonObject) o;
      conditions.add(
          new ApplicationCondition(pc.getString("type", ""), pc.getString("message", ""), null));
    }
    for (Object o : declared.getJsonArray("children", new JsonArray())) {
      JsonObject child = (JsonObject) o;
      children.add(new Child(child.getString("kind", ""), child.getString("name", "")));
    }
    return new StatusPanel(
        c.getString("sha", ""),
        c.getString("author", ""),
        c.getString("subject", ""),
        date(c.getString("date")),
        List.copyOf(conditions),
        window.orElse(null),
        List.copyOf(children));
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
