package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla team list|create|delete|add-member|remove-member}. */
@Command(
    name = "team",
    mixinStandardHelpOptions = true,
    description = {
      "Teams: groups of users that policy lines can name.",
      "For example 'p, team-a, applications, get, team-a/*, allow' lets every member of team-a"
          + " see the applications of project team-a.",
      "",
      "Example:",
      "  flotilla team create team-a --description \"Payments\"",
      "  flotilla team add-member team-a alice",
    },
    subcommands = {
      TeamCommand.ListTeams.class,
      TeamCommand.Create.class,
      TeamCommand.Delete.class,
      TeamCommand.AddMember.class,
      TeamCommand.RemoveMember.class
    })
final class TeamCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the teams you may see (always your own) with their members.",
        "",
        "Example:",
        "  flotilla team list",
      })
  static final class ListTeams extends ApiCommand {

    @Mixin AccountOutput output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.get("/api/v1/teams");
      if (output.printedData(response)) {
        return;
      }
      JsonArray items = response.getJsonArray("items", new JsonArray());
      Table table = new Table("NAME", "DESCRIPTION", "MEMBERS");
      for (int i = 0; i < items.size(); i++) {
        JsonObject t = items.getJsonObject(i);
        table.row(
            t.getString("name"),
            t.getString("description"),
            String.join(",", WhoamiCommand.strings(t.getJsonArray("members"))));
      }
      if (table.isEmpty()) {
        System.out.println("no teams visible to you");
      } else {
        table.print(System.out);
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a team (the name is shared with users: a team and a user cannot have the same name).",
        "",
        "Example:",
        "  flotilla team create team-a --description \"Payments\"",
      })
  static final class Create extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Team name (a DNS label).")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the team is.")
    String description;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body = new JsonObject().put("name", name);
      if (description != null) {
        body.put("description", description);
      }
      client.post("/api/v1/teams", body.encode(), "application/json");
      System.out.println("team " + name + " created");
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete a team; its members lose what the team's policy lines granted them.",
        "",
        "Example:",
        "  flotilla team delete team-a",
      })
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(ApiClient client) throws CliException {
      client.delete(ApiClient.path("teams", name));
      System.out.println("team " + name + " deleted");
    }
  }

  @Command(
      name = "add-member",
      mixinStandardHelpOptions = true,
      description = {
        "Add a user to a team; the user's tokens carry the team from their next request.",
        "",
        "Example:",
        "  flotilla team add-member team-a alice",
      })
  static final class AddMember extends ApiCommand {
    @Parameters(index = "0", paramLabel = "TEAM")
    String team;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r = client.put(membership(team, user), "{}");
      System.out.println(
          r.getBoolean("changed", true)
              ? "user " + user + " added to team " + team
              : "user " + user + " was already in team " + team);
    }
  }

  @Command(
      name = "remove-member",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a user from a team.",
        "",
        "Example:",
        "  flotilla team remove-member team-a alice",
      })
  static final class RemoveMember extends ApiCommand {
    @Parameters(index = "0", paramLabel = "TEAM")
    String team;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r = client.delete(membership(team, user));
      System.out.println(
          r.getBoolean("changed", true)
              ? "user " + user + " removed from team " + team
              : "user " + user + " was not in team " + team);
    }
  }

  private static String membership(String team, String user) throws CliException {
    return ApiClient.path("teams", team, "members", user);
  }
}
