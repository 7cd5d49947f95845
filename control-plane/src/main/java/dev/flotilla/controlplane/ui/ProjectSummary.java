package dev.flotilla.controlplane.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.project.SyncWindows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One AppProject as the Projects page shows it, read from its stored document: source repositories,
 * destinations, resource rules, roles, and sync windows with whether each is active now.
 *
 * @param windows each window described ({@code deny '0 22 * * *' (1h)}) and whether it is open now
 * @param windowsError why the windows cannot be read (they were accepted by an older version)
 */
public record ProjectSummary(
    String name,
    String description,
    List<String> sourceRepos,
    List<String> destinations,
    List<String> resourceRules,
    List<String> roles,
    List<Window> windows,
    String windowsError) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sync window and whether it is active at the page's time. */
  public record Window(String text, boolean active) {}

  public static ProjectSummary of(JsonObject document, Instant now) {
    JsonObject meta = object(document, "metadata");
    JsonObject spec = object(document, "spec");
    List<String> destinations = new ArrayList<>();
    for (JsonObject d : objects(spec, "destinations")) {
      String where = d.getString("name", d.getString("server", "*"));
      destinations.add(where + " / " + d.getString("namespace", "*"));
    }
    List<String> rules = new ArrayList<>();
    for (String list :
        List.of(
            "clusterResourceWhitelist",
            "clusterResourceBlacklist",
            "namespaceResourceWhitelist",
            "namespaceResourceBlacklist")) {
      for (JsonObject r : objects(spec, list)) {
        String group = r.getString("group", "");
        rules.add(
            list.replace("Resource", " ")
                + ": "
                + (group.isEmpty() ? "" : group + "/")
                + r.getString("kind", "*"));
      }
    }
    List<String> roles = new ArrayList<>();
    for (JsonObject r : objects(spec, "roles")) {
      roles.add(r.getString("name", "?"));
    }
    List<Window> windows = new ArrayList<>();
    String windowsError = "";
    JsonArray raw = spec.getJsonArray("syncWindows");
    if (raw != null && !raw.isEmpty()) {
      try {
        for (SyncWindows.Window w : SyncWindows.parse(JSON.readTree(raw.encode())).windows()) {
          windows.add(new Window(w.describe(), w.isActive(now)));
        }
      } catch (Exception e) {
        windowsError = e.getMessage();
      }
    }
    List<String> repos = new ArrayList<>();
    JsonArray sourceRepos = spec.getJsonArray("sourceRepos");
    if (sourceRepos != null) {
      sourceRepos.forEach(r -> repos.add(String.valueOf(r)));
    }
    return new ProjectSummary(
        meta.getString("name", ""),
        spec.getString("description", ""),
        repos,
        destinations,
        rules,
        roles,
        windows,
        windowsError == null ? "" : windowsError);
  }

  private static JsonObject object(JsonObject parent, String key) {
    return parent.getValue(key) instanceof JsonObject o ? o : new JsonObject();
  }

  private static List<JsonObject> objects(JsonObject parent, String key) {
    List<JsonObject> out = new ArrayList<>();
    if (parent.getValue(key) instanceof JsonArray a) {
      a.forEach(
          v -> {
            if (v instanceof JsonObject o) {
              out.add(o);
            }
          });
    }
    return out;
  }
}
