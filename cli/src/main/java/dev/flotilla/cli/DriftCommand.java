package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla drift}: the fleet-wide drift report as a table, for the on-call engineer. Drift
 * is a state: each object's entry is open while it differs from Git and closed (healed) once it is
 * equal again, whoever made it so.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Show what differs from Git across the fleet: each object that differs (or did), the fields"
          + " that differ, when it was first seen, whether it is still open or what put it right"
          + " (self-heal, sync, resync, manual-revert, new-commit) and when, and how often it"
          + " recurred.",
      "KIND is drift (live was changed away from what was applied) or pending sync (Git moved on"
          + " and the object is not synced yet).",
      "Secret values are masked."
    })
final class DriftCommand extends ApiCommand {

  @Option(names = "--cluster", description = "Only this cluster.")
  String cluster;

  @Option(names = "--project", description = "Only this project.")
  String project;

  @Option(names = "--app", description = "Only this Application.")
  String application;

  @Option(names = "--kind", description = "Only objects of this kind, e.g. ConfigMap.")
  String kind;

  @Option(
      names = "--unhealed",
      description = "Only open entries: objects that differ from Git now.")
  boolean unhealed;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "At most this many objects. Default: ${DEFAULT-VALUE}.")
  int limit;

  @picocli.CommandLine.Mixin OutputOption.WithCsv output;

  @Override
  void run(ApiClient client) throws CliException {
    Map<String, String> query = new LinkedHashMap<>();
    put(query, "cluster", cluster);
    put(query, "project", project);
    put(query, "application", application);
    put(query, "kind", kind);
    if (unhealed) {
      query.put("healed", "false");
    }
    query.put("limit", String.valueOf(limit));
    if (output.is("csv")) {
      query.put("format", "csv");
      System.out.print(client.getText("/api/v1/drift?" + encode(query)));
      return;
    }
    JsonObject report = client.get("/api/v1/drift?" + encode(query));
    if (!output.is("table")) {
      output.print(report, null);
      return;
    }
    JsonArray items = report.getJsonArray("items", new JsonArray());
    JsonArray outOfSync = report.getJsonArray("outOfSyncApplications", new JsonArray());
    if (items.isEmpty()) {
      System.out.println(
          outOfSync.isEmpty()
              ? "no drift: every managed object you may see matches Git"
              : "nothing recorded yet, but OutOfSync: "
                  + join(outOfSync)
                  + " (their objects are listed here as their agents report them)");
      return;
    }
    Table table =
        new Table("CLUSTER", "APPLICATION", "OBJECT", "KIND", "FIELDS", "SINCE", "TIMES", "STATE");
    for (int i = 0; i < items.size(); i++) {
      JsonObject o = items.getJsonObject(i);
      JsonArray fields = o.getJsonArray("fields", new JsonArray());
      String paths =
          fields.stream()
              .map(f -> ((JsonObject) f).getString("path"))
              .limit(3)
              .collect(Collectors.joining(","));
      if (fields.size() > 3) {
        paths += ",+" + (fields.size() - 3);
      }
      table.row(
          o.getString("cluster"),
          o.getString("application"),
          o.getString("kind") + "/" + o.getString("namespace") + "/" + o.getString("name"),
          "pending-sync".equals(o.getString("driftKind")) ? "pending sync" : "drift",
          paths.isEmpty() ? o.getString("change") : paths,
          o.getString("lastSeenAt"),
          o.getInteger("occurrences"),
          state(o));
    }
    table.print(System.out);
    System.out.printf(
        "%n%d object(s) in all; totals by cluster:", report.getInteger("total", items.size()));
    report
        .getJsonObject("totals", new JsonObject())
        .getJsonArray("byCluster", new JsonArray())
        .forEach(
            t -> {
              JsonObject total = (JsonObject) t;
              System.out.printf(
                  " %s %d (%d open)",
                  total.getString("cluster"),
                  total.getInteger("objects"),
                  total.getInteger("unhealed"));
            });
    System.out.println();
    if (!outOfSync.isEmpty()) {
      System.out.println(
          "also OutOfSync, nothing recorded yet: "
              + join(outOfSync)
              + " (listed here as their agents report them)");
    }
  }

  /** Open, or what put the newest occurrence right and when. */
  private static String state(JsonObject o) {
    if (!o.getBoolean("healed", false)) {
      return "open";
    }
    String by = o.getString("healedBy");
    return "healed" + (by == null ? "" : " by " + by) + " " + o.getString("healedAt");
  }

  private static String join(JsonArray names) {
    return names.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static void put(Map<String, String> query, String key, String value) {
    if (value != null && !value.isBlank()) {
      query.put(key, value);
    }
  }

  private static String encode(Map<String, String> query) {
    return query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
