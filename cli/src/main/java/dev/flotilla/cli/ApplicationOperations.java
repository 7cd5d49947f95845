package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code flotilla app terminate-op|operations}, and how {@code app get} shows the operation. */
final class ApplicationOperations {

  private ApplicationOperations() {}

  /** The lines {@code app get} prints for the deployed revision and the sync operation. */
  static void describe(JsonObject a) {
    String deployed = a.getString("deployedRevision", "");
    if (!deployed.isEmpty()) {
      System.out.println(
          "  deployed:    "
              + deployed
              + (deployed.equals(a.getString("revision"))
                  ? ""
                  : " (differs from the revision above)"));
    }
    JsonObject op = a.getJsonObject("operationState");
    if (op == null) {
      return;
    }
    String when =
        op.getString("finishedAt") == null
            ? "since " + op.getString("startedAt")
            : op.getString("startedAt") + " - " + op.getString("finishedAt");
    System.out.println(
        "  operation:   "
            + op.getString("phase")
            + " "
            + when
            + ", "
            + AppSetCommand.shortSha(op.getString("revision", ""))
            + ", by "
            + op.getString("initiatedBy", "?"));
    System.out.println("               " + op.getString("message", ""));
    if (op.getString("nextAttemptAt") != null) {
      System.out.println("               next attempt at " + op.getString("nextAttemptAt"));
    }
  }

  /** A multi-source Application's sources, each with the revision last rendered. */
  static void sources(JsonObject a) {
    JsonArray sources = a.getJsonArray("sources", new JsonArray());
    for (int i = 0; i < sources.size(); i++) {
      JsonObject s = sources.getJsonObject(i);
      String what =
          s.containsKey("chart")
              ? "chart " + s.getString("chart")
              : s.getString("path", s.containsKey("ref") ? "" : ".");
      System.out.println(
          (i == 0 ? "  sources:     " : "               ")
              + (i + 1)
              + ". "
              + s.getString("repoURL")
              + (what.isEmpty() ? "" : " " + what)
              + (s.containsKey("ref") ? " (ref " + s.getString("ref") + ")" : "")
              + " @ "
              + s.getString("targetRevision")
              + (s.getString("revision", "").isEmpty()
                  ? ""
                  : " = " + AppSetCommand.shortSha(s.getString("revision"))));
    }
  }

  /** Argo CD's spec.info: name/value pairs people attach to an Application. */
  static void info(JsonObject a) {
    JsonArray info = a.getJsonArray("info", new JsonArray());
    for (int i = 0; i < info.size(); i++) {
      if (info.getValue(i) instanceof JsonObject item) {
        System.out.println(
            (i == 0 ? "  info:        " : "               ")
                + item.getString("name", "")
                + ": "
                + item.getString("value", ""));
      }
    }
  }

  /** The last operation's per-object results, after {@code app get}'s resource table. */
  static void results(JsonObject a) {
    JsonObject op = a.getJsonObject("operationState");
    JsonArray results =
        op == null ? new JsonArray() : op.getJsonArray("resources", new JsonArray());
    if (results.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println("Sync result (" + op.getString("phase") + "):");
    Table table = new Table("KIND", "NAMESPACE", "NAME", "RESULT", "MESSAGE");
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      table.row(
          r.getString("kind"),
          r.getString("namespace"),
          r.getString("name"),
          r.getString("status"),
          r.getString("message"));
    }
    table.print(System.out);
  }

  @Command(
      name = "terminate-op",
      mixinStandardHelpOptions = true,
      description = {
        "Stop the Application's running sync operation (retrying, or waiting for a wave to become"
            + " healthy), as `argocd app terminate-op` does.",
        "It ends as Failed; its commit is not applied automatically again until a newer commit or"
            + " a requested sync. Needs the applications/sync permission."
      })
  static final class TerminateOp extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r = client.delete(ApiClient.path("applications", name, "operation"));
      output.print(
          r,
          () -> System.out.println("termination of the sync operation of " + name + " requested"));
    }
  }

  @Command(
      name = "operations",
      mixinStandardHelpOptions = true,
      description =
          "Show an Application's sync operations, newest first: started, finished, revision,"
              + " phase, who started it and its message (the last 100).")
  static final class Operations extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject ops = client.get(ApiClient.path("applications", name, "operations"));
      output.print(
          ops,
          () -> {
            JsonArray items = ops.getJsonArray("items", new JsonArray());
            if (items.isEmpty()) {
              System.out.println("no sync operations of " + name + " yet");
              return;
            }
            Table table =
                new Table("STARTED", "FINISHED", "REVISION", "PHASE", "INITIATED BY", "MESSAGE");
            for (int i = 0; i < items.size(); i++) {
              JsonObject o = items.getJsonObject(i);
              table.row(
                  o.getString("startedAt"),
                  o.getString("finishedAt", "-"),
                  AppSetCommand.shortSha(o.getString("revision", "")),
                  o.getString("phase"),
                  o.getString("initiatedBy"),
                  o.getString("message"));
            }
            table.print(System.out);
          });
    }
  }
}
