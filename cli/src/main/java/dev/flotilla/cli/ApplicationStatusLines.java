package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The lines {@code app get} prints for the commit, the conditions and the sync window. */
final class ApplicationStatusLines {

  private ApplicationStatusLines() {}

  /** {@code commit: 1a2b3c4 by Ada: Scale web to 3 (2026-12-05T10:00:00Z)}; none unknown. */
  static List<String> of(JsonObject a) {
    List<String> lines = new ArrayList<>();
    JsonObject commit = a.getJsonObject("commit");
    if (commit != null) {
      lines.add(
          "  commit:      "
              + AppSetCommand.shortSha(commit.getString("sha", ""))
              + " by "
              + commit.getString("author", "?")
              + ": "
              + commit.getString("subject", "")
              + (commit.getString("date") == null ? "" : " (" + commit.getString("date") + ")"));
    }
    JsonArray conditions = a.getJsonArray("conditions", new JsonArray());
    for (int i = 0; i < conditions.size(); i++) {
      JsonObject c = conditions.getJsonObject(i);
      lines.add(
          (i == 0 ? "  conditions:  " : "               ")
              + c.getString("type")
              + ": "
              + c.getString("message", "")
              + (c.getString("lastTransitionTime") == null
                  ? ""
                  : " (since " + c.getString("lastTransitionTime") + ")"));
    }
    JsonObject window = a.getJsonObject("syncWindow");
    if (window != null) {
      lines.add("  sync window: " + window.getString("message", ""));
    }
    return lines;
  }

  static void print(JsonObject a) {
    of(a).forEach(System.out::println);
  }
}
