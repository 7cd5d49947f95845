package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flotilla whoami}: who the control plane takes the current token for. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = {
      "Show who your token acts as: user, teams and roles.",
      "For a project token: its project and role.",
      "",
      "Example:",
      "  flotilla whoami --token flt_...",
    })
final class WhoamiCommand extends ApiCommand {

  @Mixin AccountOutput output;

  @Override
  void run(ApiClient client) throws CliException {
    JsonObject session = client.get("/api/v1/session");
    if (output.printedData(session)) {
      return;
    }
    List<String> teams = strings(session.getJsonArray("teams"));
    // The server lists every name the caller acts as, including its own name and teams; only the
    // roles reached from them are news to the reader.
    Set<String> self = new HashSet<>(teams);
    self.add(session.getString("name"));
    List<String> roles =
        strings(session.getJsonArray("roles")).stream().filter(r -> !self.contains(r)).toList();
    System.out.println("name:  " + session.getString("name"));
    JsonObject projectRole = session.getJsonObject("projectRole");
    if (projectRole != null) {
      System.out.println(
          "token: project "
              + projectRole.getString("project")
              + ", role "
              + projectRole.getString("role"));
    } else {
      System.out.println("teams: " + listed(teams));
    }
    System.out.println("roles: " + listed(roles));
  }

  static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  private static String listed(List<String> values) {
    return values.isEmpty() ? "(none)" : String.join(", ", values);
  }
}
