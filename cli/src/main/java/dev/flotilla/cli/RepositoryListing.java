package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code repo list} and {@code repocreds list} print: {@code -o table|wide|json|yaml}; secrets
 * are never in what the API returns, so never here either.
 */
final class RepositoryListing {

  private RepositoryListing() {}

  /** {@code -o} with {@code wide} as well. */
  static final class Output extends OutputOption {
    @Override
    List<String> formats() {
      return List.of("table", "wide", "json", "yaml");
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "table, wide, json or yaml. Default: ${DEFAULT-VALUE}.")
    void setFormat(String value) {
      set(value);
    }
  }

  /** Only repositories ({@code template} false) or only templates (true). */
  static JsonObject only(JsonObject all, boolean template) {
    JsonArray items = new JsonArray();
    all.getJsonArray("items", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .filter(r -> r.getBoolean("template", false) == template)
        .forEach(items::add);
    return new JsonObject().put("items", items);
  }

  static void repositories(JsonObject response, boolean wide) {
    Table table =
        wide
            ? new Table(
                "URL",
                "TYPE",
                "USER",
                "CONNECTION",
                "LAST ERROR",
                "INSECURE",
                "LAST SUCCESS",
                "CREATED")
            : new Table("URL", "TYPE", "USER", "CONNECTION", "LAST ERROR");
    for (Object o : response.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      JsonObject state = r.getJsonObject("connectionState", new JsonObject());
      String error = state.getString("lastError");
      String shown =
          error == null || wide || error.length() <= 80 ? error : error.substring(0, 77) + "...";
      if (wide) {
        table.row(
            r.getString("url"),
            r.getString("type"),
            r.getString("username"),
            connection(state),
            shown,
            r.getBoolean("insecureIgnoreHostKey", false),
            state.getString("lastSuccessAt"),
            r.getString("createdAt"));
      } else {
        table.row(
            r.getString("url"),
            r.getString("type"),
            r.getString("username"),
            connection(state),
            shown);
      }
    }
    if (table.isEmpty()) {
      System.out.println(
          "no repositories (none added, or none you may see); add one: flotilla repo add URL"
              + " --username USER --password-stdin");
    } else {
      table.print(System.out);
    }
  }

  static void templates(JsonObject response) {
    Table table = new Table("URL PREFIX", "TYPE", "USER", "INSECURE", "CREATED");
    for (Object o : response.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      table.row(
          r.getString("url"),
          r.getString("type"),
          r.getString("username"),
          r.getBoolean("insecureIgnoreHostKey", false),
          r.getString("createdAt"));
    }
    if (table.isEmpty()) {
      System.out.println(
          "no credential templates; add one: flotilla repocreds add https://git.example.com/team/"
              + " --username USER --password-stdin");
    } else {
      table.print(System.out);
    }
  }

  /**
   * Successful or Failed with the time of the last fetch that ended so (the later of the two is the
   * current state); Unknown before the first fetch.
   */
  static String connection(JsonObject state) {
    String ok = state.getString("lastSuccessAt");
    String failed = state.getString("lastErrorAt");
    if (failed != null && (ok == null || time(failed).isAfter(time(ok)))) {
      return "Failed at " + failed;
    }
    return ok == null ? "Unknown (not fetched yet)" : "Successful at " + ok;
  }

  private static OffsetDateTime time(String t) {
    return OffsetDateTime.parse(t);
  }
}
