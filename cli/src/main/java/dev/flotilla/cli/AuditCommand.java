package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flotilla audit}: who changed what, newest first. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Show the audit log: who changed what, newest first.",
      "Every change, sync and rollback with its actor and result: allow, deny when policy refused"
          + " it, error when it failed. You see entries about objects you may get, and your own.",
      "",
      "Examples:",
      "  flotilla audit --actor alice --since 2026-11-01T00:00:00Z",
      "  flotilla audit --kind accounts --object policy --limit 5",
      "  flotilla audit -o json     (with details, e.g. the error of a denied request)",
    })
final class AuditCommand extends ApiCommand {

  @Option(names = "--actor", paramLabel = "NAME", description = "Only what this user did.")
  String actor;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description =
          "Only this kind of object: applications, applicationsets, projects, clusters,"
              + " repositories or accounts.")
  String kind;

  @Option(
      names = "--object",
      paramLabel = "OBJECT",
      description = "Only this object, as policy lines name it, e.g. team-a/web or users/alice.")
  String object;

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      description = "From this ISO-8601 instant on, e.g. 2026-11-22T00:00:00Z.")
  String since;

  @Option(names = "--until", paramLabel = "INSTANT", description = "Before this ISO-8601 instant.")
  String until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N entries (1 to 1000; the server's default is 100).")
  Integer limit;

  @Mixin AccountOutput output;

  @Override
  void run(ApiClient client) throws CliException {
    JsonObject response =
        client.get(
            "/api/v1/audit"
                + new QueryString()
                    .add("actor", actor)
                    .add("kind", kind)
                    .add("object", object)
                    .add("since", since)
                    .add("until", until)
                    .add("limit", limit));
    if (output.printedData(response)) {
      return;
    }
    JsonArray items = response.getJsonArray("items", new JsonArray());
    Table table = new Table("AT", "ACTOR", "ACTION", "KIND", "OBJECT", "RESULT");
    for (int i = 0; i < items.size(); i++) {
      JsonObject e = items.getJsonObject(i);
      table.row(
          AccountOutput.time(e.getString("at")),
          e.getString("actor"),
          e.getString("action"),
          e.getString("kind"),
          e.getString("object"),
          e.getString("result"));
    }
    if (table.isEmpty()) {
      System.out.println("no audit entries match");
    } else {
      table.print(System.out);
    }
  }
}
