package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla project apply|list}. */
@Command(
    name = "project",
    mixinStandardHelpOptions = true,
    description =
        "AppProjects (Argo CD YAML): which repositories and destinations Applications may use.",
    subcommands = {ProjectCommand.Apply.class, ProjectCommand.ListProjects.class})
final class ProjectCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Create or replace an AppProject from a YAML or JSON file; takes effect at once.")
  static final class Apply extends ApiCommand {
    @Option(
        names = {"-f", "--filename"},
        required = true,
        paramLabel = "FILE")
    Path file;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r =
          client.post("/api/v1/projects", AppSetCommand.readBounded(file), "application/yaml");
      System.out.println("project " + r.getString("name") + " applied");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List AppProjects.")
  static final class ListProjects extends ApiCommand {

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.getAll("/api/v1/projects", new QueryString());
      output.print(response, () -> table(response.getJsonArray("items")));
    }

    private static void table(JsonArray items) {
      Table table = new Table("NAME", "SOURCE REPOS", "DESTINATIONS");
      for (int i = 0; i < items.size(); i++) {
        JsonObject p = items.getJsonObject(i);
        JsonObject spec = p.getJsonObject("spec", new JsonObject());
        StringBuilder destinations = new StringBuilder();
        spec.getJsonArray("destinations", new JsonArray())
            .forEach(
                d -> {
                  JsonObject o = (JsonObject) d;
                  destinations
                      .append(destinations.length() == 0 ? "" : ", ")
                      .append(o.getString("name", o.getString("server", "*")))
                      .append('/')
                      .append(o.getString("namespace", "*"));
                });
        table.row(
            p.getJsonObject("metadata").getString("name"),
            String.join(
                ", ",
                spec.getJsonArray("sourceRepos", new JsonArray()).stream()
                    .map(String::valueOf)
                    .toList()),
            destinations);
      }
      if (table.isEmpty()) {
        System.out.println(
            "no projects (none defined, or none you may see); until one is defined, the 'default'"
                + " project allows everything");
      } else {
        table.print(System.out);
      }
    }
  }
}
