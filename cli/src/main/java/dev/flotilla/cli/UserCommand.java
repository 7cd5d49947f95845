package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla user list|create|delete}. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = {
      "Users: who API tokens act as.",
      "A user acts through tokens (flotilla token create --user) and gets permissions from"
          + " policy lines naming the user or one of its teams.",
      "",
      "Example:",
      "  flotilla user create alice --display-name \"Alice Doe\"",
    },
    subcommands = {UserCommand.ListUsers.class, UserCommand.Create.class, UserCommand.Delete.class})
final class UserCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the users you may see.",
        "",
        "Example:",
        "  flotilla user list -o json",
      })
  static final class ListUsers extends ApiCommand {

    @Mixin AccountOutput output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.get("/api/v1/users");
      if (output.printedData(response)) {
        return;
      }
      JsonArray items = response.getJsonArray("items", new JsonArray());
      Table table = new Table("NAME", "DISPLAY NAME", "CREATED");
      for (int i = 0; i < items.size(); i++) {
        JsonObject u = items.getJsonObject(i);
        table.row(
            u.getString("name"),
            u.getString("displayName"),
            AccountOutput.time(u.getString("createdAt")));
      }
      if (table.isEmpty()) {
        System.out.println("no users visible to you");
      } else {
        table.print(System.out);
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a user (the name is shared with teams: a user and a team cannot have the same name).",
        "",
        "Example:",
        "  flotilla user create alice --display-name \"Alice Doe\"",
      })
  static final class Create extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "User name (a DNS label).")
    String name;

    @Option(names = "--display-name", paramLabel = "TEXT", description = "Name shown to people.")
    String displayName;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body = new JsonObject().put("name", name);
      if (displayName != null) {
        body.put("displayName", displayName);
      }
      client.post("/api/v1/users", body.encode(), "application/json");
      System.out.println("user " + name + " created");
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete a user with its team memberships and API tokens.",
        "",
        "Example:",
        "  flotilla user delete alice",
      })
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(ApiClient client) throws CliException {
      client.delete(ApiClient.path("users", name));
      System.out.println("user " + name + " deleted (with its memberships and tokens)");
    }
  }
}
