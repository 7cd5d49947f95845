package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla token list|create|revoke}. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "API tokens for users and project roles.",
      "A user token acts with the user's teams and roles; a project token only as"
          + " proj:<project>:<role>. The control plane keeps only a hash.",
      "",
      "Example:",
      "  flotilla token create --user alice --description laptop --expires-in 30d",
    },
    subcommands = {
      TokenCommand.ListTokens.class,
      TokenCommand.Create.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {

  /** Request fields as the server names them in errors, and the flags a CLI user knows them by. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "expiresIn", "--expires-in",
          "expiresAt", "--expires-at",
          "description", "--description",
          "role", "--role",
          "user", "--user",
          "project", "--project");

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List API tokens (never their values): yours, a user's or a project's.",
        "",
        "Examples:",
        "  flotilla token list",
        "  flotilla token list --user alice",
        "  flotilla token list --project team-a",
      })
  static final class ListTokens extends ApiCommand {

    @Option(
        names = "--user",
        paramLabel = "USER",
        description = "A user's tokens (default: yours).")
    String user;

    @Option(names = "--project", paramLabel = "PROJECT", description = "A project's role tokens.")
    String project;

    @Mixin AccountOutput output;

    @Override
    void run(ApiClient client) throws CliException {
      if (user != null && project != null) {
        throw new CliException("give either --user or --project, not both");
      }
      JsonObject response =
          client.get(
              "/api/v1/tokens" + new QueryString().add("user", user).add("project", project));
      if (output.printedData(response)) {
        return;
      }
      JsonArray items = response.getJsonArray("items", new JsonArray());
      Table table =
          new Table("ID", "SUBJECT", "DESCRIPTION", "CREATED", "EXPIRES", "LAST USED", "STATUS");
      for (int i = 0; i < items.size(); i++) {
        JsonObject t = items.getJsonObject(i);
        table.row(
            t.getValue("id"),
            subject(t),
            t.getString("description"),
            AccountOutput.time(t.getString("createdAt")),
            t.getString("expiresAt") == null
                ? "never"
                : AccountOutput.time(t.getString("expiresAt")),
            t.getString("lastUsedAt") == null
                ? "never"
                : AccountOutput.time(t.getString("lastUsedAt")),
            status(t));
      }
      if (table.isEmpty()) {
        System.out.println("no tokens");
      } else {
        table.print(System.out);
      }
    }

    private static String status(JsonObject t) {
      if (t.getBoolean("revoked", false)) {
        return "revoked";
      }
      return AccountOutput.past(t.getString("expiresAt")) ? "expired" : "active";
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API token. The token alone is printed on stdout, so scripts can capture it; it"
            + " is shown only this once.",
        "Without --user or --project the token is yours. Creating one for another user needs"
            + " 'update' on accounts users/<user>; a project token needs 'update' on the project.",
        "",
        "Examples:",
        "  flotilla token create --user alice --description laptop --expires-in 30d",
        "  TOKEN=$(flotilla token create --project team-a --role ci --expires-in 90d)",
      })
  static final class Create extends ApiCommand {

    @Option(names = "--user", paramLabel = "USER", description = "Acts as this user.")
    String user;

    @Option(
        names = "--project",
        paramLabel = "PROJECT",
        description = "Acts as a role of this project (needs --role).")
    String project;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "The project role (from the AppProject's spec.roles), with --project.")
    String role;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
    String description;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "Valid for this long: a number with s, m, h or d, e.g. 90m, 12h, 30d.")
    String expiresIn;

    @Option(
        names = "--expires-at",
        paramLabel = "INSTANT",
        description = "Valid until this ISO-8601 instant, e.g. 2027-01-31T00:00:00Z.")
    String expiresAt;

    @Override
    void run(ApiClient client) throws CliException {
      if (user != null && project != null) {
        throw new CliException("give either --user or --project, not both");
      }
      if (project != null && role == null) {
        throw new CliException("--role: is required with --project");
      }
      if (role != null && project == null) {
        // The server would ignore the role and make a token with all of the caller's rights.
        throw new CliException("--role: only goes with --project");
      }
      if (expiresIn != null && expiresAt != null) {
        throw new CliException("give either --expires-in or --expires-at, not both");
      }
      JsonObject body = new JsonObject();
      put(body, "user", user);
      put(body, "project", project);
      put(body, "role", role);
      put(body, "description", description);
      put(body, "expiresIn", expiresIn);
      put(body, "expiresAt", expiresAt);
      JsonObject created;
      try {
        created = client.post("/api/v1/tokens", body.encode(), "application/json");
      } catch (CliException e) {
        throw new CliException(inFlags(e.getMessage()));
      }
      System.out.println(created.getString("token"));
      System.err.println(
          "token "
              + created.getValue("id")
              + " for "
              + subject(created)
              + " created, "
              + (created.getString("expiresAt") == null
                  ? "never expires"
                  : "expires " + AccountOutput.time(created.getString("expiresAt")))
              + ". It is shown only this once: store it now (revoke with: flotilla token revoke "
              + created.getValue("id")
              + ").");
    }

    private static void put(JsonObject body, String field, String value) {
      if (value != null) {
        body.put(field, value);
      }
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a token for good: requests with it are refused from now on. Anyone may revoke their"
            + " own tokens.",
        "",
        "Example:",
        "  flotilla token revoke 42",
      })
  static final class Revoke extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The ID shown by token list.")
    long id;

    @Override
    void run(ApiClient client) throws CliException {
      client.delete(ApiClient.path("tokens", String.valueOf(id)));
      System.out.println("token " + id + " revoked");
    }
  }

  /** {@code alice} or {@code proj:team-a:ci}, as policy lines and the audit log name it. */
  static String subject(JsonObject token) {
    return token.getString("user") != null
        ? token.getString("user")
        : "proj:" + token.getString("project") + ":" + token.getString("role");
  }

  /** The server's "expiresIn: must be ..." as "--expires-in: must be ...". */
  static String inFlags(String message) {
    int colon = message.indexOf(':');
    if (colon > 0 && FLAGS.containsKey(message.substring(0, colon))) {
      return FLAGS.get(message.substring(0, colon)) + message.substring(colon);
    }
    return message;
  }
}
