package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla app list|sync}. */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = "Applications: where they run and whether they match Git.",
    subcommands = {
      ApplicationCommand.ListApps.class,
      ApplicationCommand.Get.class,
      ApplicationCommand.Sync.class
    })
final class ApplicationCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List Applications with their status.")
  static final class ListApps extends ApiCommand {

    @Option(names = "--cluster", description = "Only this cluster's Applications.")
    String cluster;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    String output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response =
          client.get("/api/v1/applications" + (cluster == null ? "" : "?cluster=" + cluster));
      if (output.equals("json")) {
        System.out.println(response.encodePrettily());
        return;
      }
      print(response.getJsonArray("items"));
    }
  }

  static void print(JsonArray items) {
    Table table =
        new Table("CLUSTER", "APPLICATION", "SYNC", "HEALTH", "REVISION", "LAST SYNC", "MESSAGE");
    for (int i = 0; i < items.size(); i++) {
      JsonObject a = items.getJsonObject(i);
      String message =
          a.getString(
              "dispatchError", a.getBoolean("syncFailed", false) ? a.getString("message") : "");
      table.row(
          a.getString("cluster", "-"),
          a.getString("name"),
          a.getString("syncStatus"),
          a.getString("health"),
          AppSetCommand.shortSha(a.getString("revision")),
          a.getString("lastSyncedAt", "-"),
          message == null ? "" : message);
    }
    table.print(System.out);
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show one Application: where it runs, its status and every object it manages.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    String output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject a = client.get("/api/v1/applications/" + name);
      if (output.equals("json")) {
        System.out.println(a.encodePrettily());
        return;
      }
      System.out.println("Application " + a.getString("name"));
      System.out.println("  project:     " + a.getString("project"));
      System.out.println("  cluster:     " + a.getString("cluster", "-"));
      System.out.println(
          "  revision:    " + a.getString("revision") + " (" + a.getString("targetRevision") + ")");
      System.out.println(
          "  sync:        "
              + a.getString("syncStatus")
              + (a.getBoolean("syncFailed", false) ? " (last sync failed)" : ""));
      System.out.println(
          "  health:      "
              + a.getString("health")
              + (a.getString("healthMessage", "").isEmpty()
                  ? ""
                  : " — " + a.getString("healthMessage")));
      System.out.println("  last sync:   " + a.getString("lastSyncedAt", "never"));
      if (!a.getString("message", "").isEmpty()) {
        System.out.println("  message:     " + a.getString("message"));
      }
      if (a.getString("dispatchError") != null) {
        System.out.println("  not dispatched: " + a.getString("dispatchError"));
      }
      JsonArray resources = a.getJsonArray("resources", new JsonArray());
      if (!resources.isEmpty()) {
        System.out.println();
        Table table = new Table("KIND", "NAMESPACE", "NAME", "SYNC", "HEALTH", "MESSAGE");
        for (int i = 0; i < resources.size(); i++) {
          JsonObject r = resources.getJsonObject(i);
          table.row(
              r.getString("kind"),
              r.getString("namespace"),
              r.getString("name"),
              r.getString("sync"),
              r.getString("health"),
              r.getString("message"));
        }
        table.print(System.out);
      }
    }
  }

  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description = "Ask the agent to sync an Application now.")
  static final class Sync extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--revision",
        description = "Commit SHA to sync to (rollback/forward). Default: the assigned one.")
    String revision;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body = new JsonObject();
      if (revision != null) {
        body.put("revision", revision);
      }
      client.post("/api/v1/applications/" + name + "/sync", body.encode(), "application/json");
      System.out.println("sync of " + name + " requested");
    }
  }
}
