package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ApplicationSets pages show of one set: its generators in words, the Applications of it
 * the caller may see, and its state as its last generation left it (errors and Argo CD's
 * conditions, each with since when).
 *
 * @param generated how many Applications the last generation produced (all of them, as REST says)
 * @param lastGeneratedAt null before the first generation
 * @param state a word for the list: "Up to date", "Error", "Deleting" or "Not generated yet"
 */
public record ApplicationSetSummary(
    String name,
    String project,
    List<String> generators,
    AppCounts apps,
    int generated,
    Instant lastGeneratedAt,
    String state,
    List<Problem> errors,
    List<Condition> conditions) {

  /** A generation error: where in the spec, what, and since when it has been seen. */
  public record Problem(String location, String message, Instant since) {}

  /** An Argo CD ApplicationSet condition with its {@code lastTransitionTime}. */
  public record Condition(
      String type, String status, String reason, String message, Instant since) {

    /** Whether this condition is bad news: an error occurred, or something is not up to date. */
    public boolean bad() {
      return type.equals("ErrorOccurred") ? status.equals("True") : status.equals("False");
    }
  }

  public static ApplicationSetSummary of(StoredApplicationSet set, AppCounts apps) {
    JsonObject status = set.status() == null ? new JsonObject() : set.status();
    List<Problem> errors = new ArrayList<>();
    for (JsonObject e : objects(status.getValue("errors"))) {
      errors.add(
          new Problem(
              e.getString("location", ""), e.getString("message", ""), instant(e, "since")));
    }
    List<Condition> conditions = new ArrayList<>();
    for (JsonObject c : objects(status.getValue("conditions"))) {
      conditions.add(
          new Condition(
              c.getString("type", ""),
              c.getString("status", "Unknown"),
              c.getString("reason", ""),
              c.getString("message", ""),
              instant(c, "lastTransitionTime")));
    }
    Instant last = instant(status, "lastGeneratedAt");
    String state;
    if (set.deleting()) {
      state = "Deleting";
    } else if (!errors.isEmpty()) {
      state = "Error";
    } else if (last == null) {
      state = "Not generated yet";
    } else {
      state = "Up to date";
    }
    return new ApplicationSetSummary(
        set.name(),
        ApplicationSetCatalog.projectOf(set.document()),
        GeneratorWords.of(set.document()),
        apps,
        status.getValue("applications") instanceof Number n ? n.intValue() : 0,
        last,
        state,
        List.copyOf(errors),
        List.copyOf(conditions));
  }

  /** The CSS class of the state's badge. */
  public String stateCss() {
    return switch (state) {
      case "Up to date" -> "health-healthy";
      case "Error" -> "health-degraded";
      case "Deleting" -> "health-progressing";
      default -> "health-unknown";
    };
  }

  private static List<JsonObject> objects(Object value) {
    List<JsonObject> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object o : array) {
        if (o instanceof JsonObject j) {
          out.add(j);
        }
      }
    }
    return out;
  }

  /** A stored timestamp, or null when it is absent or unreadable (a page must still show). */
  private static Instant instant(JsonObject o, String key) {
    Object value = o.getValue(key);
    if (!(value instanceof String s) || s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
