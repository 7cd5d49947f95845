package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app list|get|sync|history|rollback|terminate-op|operations|wait|refresh|create|
 * apply|set|delete|diff|manifests|resources|logs}.
 */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = "Applications: where they run and whether they match Git.",
    subcommands = {
      ApplicationCommand.ListApps.class,
      ApplicationCommand.Get.class,
      ApplicationCommand.Sync.class,
      ApplicationCommand.History.class,
      ApplicationCommand.Rollback.class,
      ApplicationOperations.TerminateOp.class,
      ApplicationOperations.Operations.class,
      ApplicationWaitCommand.class,
      ApplicationRefreshCommand.class,
      ApplicationCreateCommand.class,
      ApplicationApplyCommand.class,
      ApplicationSetFieldsCommand.class,
      ApplicationDeleteCommand.class,
      ApplicationDiffCommand.class,
      ApplicationManifestsCommand.class,
      ApplicationResourcesCommand.class,
      ApplicationLogsCommand.class
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

    @Option(names = "--project", description = "Only this project's Applications.")
    String project;

    @Option(names = "--appset", description = "Only Applications of this ApplicationSet.")
    String appSet;

    @Option(names = "--sync", paramLabel = "STATUS", description = "Synced, OutOfSync or Unknown.")
    String sync;

    @Option(
        names = "--health",
        paramLabel = "STATUS",
        description = "Healthy, Progressing, Degraded, Suspended, Missing or Unknown.")
    String health;

    @Option(
        names = {"-l", "--selector"},
        paramLabel = "SELECTOR",
        description = "Label selector, as kubectl's: team=a,tier!=db,!legacy")
    String selector;

    @Mixin OutputOption.WithWide output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response =
          client.getAll(
              "/api/v1/applications",
              new QueryString()
                  .add("cluster", cluster)
                  .add("project", project)
                  .add("applicationSet", appSet)
                  .add("sync", sync)
                  .add("health", health)
                  .add("label", selector));
      output.print(response, () -> print(response.getJsonArray("items"), output.is("wide")));
    }
  }

  /**
   * Applications as a table; {@code wide} adds project, ApplicationSet, target revision and the
   * sync operation's phase.
   */
  static void print(JsonArray items, boolean wide) {
    Table table =
        wide
            ? new Table(
                "CLUSTER",
                "APPLICATION",
                "PROJECT",
                "APPSET",
                "SYNC",
                "HEALTH",
                "TARGET",
                "REVISION",
                "OPERATION",
                "LAST SYNC",
                "MESSAGE")
            : new Table(
                "CLUSTER", "APPLICATION", "SYNC", "HEALTH", "REVISION", "LAST SYNC", "MESSAGE");
    for (int i = 0; i < items.size(); i++) {
      JsonObject a = items.getJsonObject(i);
      String message =
          a.getString(
              "dispatchError", a.getBoolean("syncFailed", false) ? a.getString("message") : "");
      String revision = AppSetCommand.shortSha(a.getString("revision"));
      message = message == null ? "" : message;
      if (wide) {
        JsonObject op = a.getJsonObject("operationState");
        table.row(
            a.getString("cluster", "-"),
            a.getString("name"),
            a.getString("project"),
            a.getString("applicationSet", "-"),
            a.getString("syncStatus"),
            a.getString("health"),
            a.getString("targetRevision", "-"),
            revision,
            op == null ? "-" : op.getString("phase", "-"),
            a.getString("lastSyncedAt", "-"),
            message);
      } else {
        table.row(
            a.getString("cluster", "-"),
            a.getString("name"),
            a.getString("syncStatus"),
            a.getString("health"),
            revision,
            a.getString("lastSyncedAt", "-"),
            message);
      }
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

    @Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject a = client.get(ApiClient.path("applications", name));
      AppOfAppsOutput.addChildren(client, name, a);
      output.print(a, () -> describe(a));
    }

    private static void describe(JsonObject a) {
      System.out.println("Application " + a.getString("name"));
      System.out.println("  project:     " + a.getString("project"));
      System.out.println("  cluster:     " + a.getString("cluster", "-"));
      System.out.println(
          "  revision:    " + a.getString("revision") + " (" + a.getString("targetRevision") + ")");
      ApplicationOperations.sources(a);
      ApplicationOperations.describe(a);
      ApplicationStatusLines.print(a);
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
      ApplicationOperations.info(a);
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
      ApplicationOperations.results(a);
      AppOfAppsOutput.describe(a);
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

    @Mixin OutputOption.Standard output;

    @Option(
        names = "--prune",
        description =
            "Delete what the Application deployed and Git no longer has, for this sync only, even"
                + " when its sync policy does not prune (as `argocd app sync --prune`; objects"
                + " annotated Prune=false stay). For an App of Apps also delete the child"
                + " Applications, ApplicationSets and AppProjects the parent's Git no longer"
                + " declares.")
    boolean prune;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body = new JsonObject();
      if (revision != null) {
        body.put("revision", revision);
      }
      if (prune) {
        body.put("prune", true);
      }
      JsonObject r =
          client.post(
              ApiClient.path("applications", name, "sync"), body.encode(), "application/json");
      output.print(r, () -> System.out.println("sync of " + name + " requested"));
      if (prune) {
        client.post(
            ApiClient.path("applications", name, "children", "prune"), "", "application/json");
        System.err.println("children of " + name + " no longer in Git pruned");
      }
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = {
        "Show an Application's deployments, oldest first: each revision an agent reported it synced"
            + " to, when, and whether automated sync, a sync or a rollback started it.",
        "Keeps the last spec.revisionHistoryLimit deployments (default 10). The ID is what"
            + " `flotilla app rollback` takes."
      })
  static final class History extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject history = client.get(ApiClient.path("applications", name, "history"));
      output.print(
          history,
          () -> {
            JsonArray items = history.getJsonArray("items", new JsonArray());
            if (items.isEmpty()) {
              System.out.println(
                  "no deployments of " + name + " yet: an entry appears once its agent syncs it");
              return;
            }
            Table table =
                new Table("ID", "DATE", "REVISION", "OPERATION", "INITIATED BY", "SOURCE");
            for (int i = 0; i < items.size(); i++) {
              JsonObject e = items.getJsonObject(i);
              String operation = e.getString("operation");
              if (e.getValue("rollbackOf") != null) {
                operation += " to " + e.getValue("rollbackOf");
              }
              table.row(
                  e.getValue("id"),
                  e.getString("deployedAt"),
                  AppSetCommand.shortSha(e.getString("revision")),
                  operation,
                  e.getString("initiatedBy"),
                  e.getString("path", ""));
            }
            table.print(System.out);
          });
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Roll an Application back to an earlier deployment from `flotilla app history`: the one"
            + " with ID, the newest with --revision, or without either the one before the current"
            + " one.",
        "Refused while the Application syncs automatically (remove syncPolicy.automated first)."
      })
  static final class Rollback extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "HISTORY_ID",
        description = "ID from `flotilla app history NAME`.")
    Long id;

    @Option(
        names = "--revision",
        paramLabel = "SHA",
        description = "Roll back to the newest deployment of this commit (at least 7 characters).")
    String revision;

    @Mixin OutputOption.Standard output;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    void run(ApiClient client) throws CliException {
      if (id != null && revision != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give either HISTORY_ID or --revision, not both");
      }
      JsonObject body = new JsonObject();
      if (id != null) {
        body.put("id", id);
      }
      if (revision != null) {
        body.put("revision", revision);
      }
      JsonObject r =
          client.post(
              ApiClient.path("applications", name, "rollback"), body.encode(), "application/json");
      output.print(
          r,
          () ->
              System.out.println(
                  "rollback of "
                      + name
                      + " to "
                      + r.getValue("id")
                      + " ("
                      + AppSetCommand.shortSha(r.getString("revision"))
                      + ") requested"));
    }
  }
}
