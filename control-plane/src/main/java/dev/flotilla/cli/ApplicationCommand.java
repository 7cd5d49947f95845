package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla app list|sync}. */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = "Applications: where they run and whether they match Git.",
    subcommands = {ApplicationCommand.ListApps.class, ApplicationCommand.Sync.class})
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
  static final class ListApps implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Option(names = "--cluster", description = "Only this cluster's Applications.")
    String cluster;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    String output;

    @Override
    public Integer call() {
      try {
        JsonObject response =
            api.client()
                .get("/api/v1/applications" + (cluster == null ? "" : "?cluster=" + cluster));
        if (output.equals("json")) {
          System.out.println(response.encodePrettily());
          return 0;
        }
        print(response.getJsonArray("items"));
        return 0;
      } catch (CliException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
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
      name = "sync",
      mixinStandardHelpOptions = true,
      description = "Ask the agent to sync an Application now.")
  static final class Sync implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--revision",
        description = "Commit SHA to sync to (rollback/forward). Default: the assigned one.")
    String revision;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
      try {
        JsonObject body = new JsonObject();
        if (revision != null) {
          body.put("revision", revision);
        }
        api.client()
            .post("/api/v1/applications/" + name + "/sync", body.encode(), "application/json");
        System.out.println("sync of " + name + " requested");
        return 0;
      } catch (CliException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }
}
