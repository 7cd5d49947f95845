package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla appset generate|create|apply|list|get|delete}. */
@Command(
    name = "appset",
    mixinStandardHelpOptions = true,
    description = "Work with ApplicationSets (Argo CD's argoproj.io/v1alpha1 YAML).",
    subcommands = {
      AppSetGenerateCommand.class,
      AppSetCreateCommand.class,
      AppSetCommand.Apply.class,
      AppSetCommand.ListAppSets.class,
      AppSetCommand.Get.class,
      AppSetCommand.DeleteAppSet.class
    })
final class AppSetCommand implements Runnable {

  /** Largest ApplicationSet or clusters file read from disk. */
  static final long MAX_INPUT_BYTES = 4L * 1024 * 1024;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Create or update an ApplicationSet on the control plane from a YAML or JSON file.")
  static final class Apply extends ApiCommand {
    @Option(
        names = {"-f", "--filename"},
        required = true,
        paramLabel = "FILE")
    Path file;

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r = client.post("/api/v1/applicationsets", readBounded(file), "application/yaml");
      if (output.is("table")) {
        System.out.println("applicationset " + r.getString("name") + " applied");
      } else {
        // The stored ApplicationSet, as `appset get -o` shows it: what scripts want to read.
        output.print(client.get(ApiClient.path("applicationsets", r.getString("name"))), () -> {});
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List ApplicationSets.")
  static final class ListAppSets extends ApiCommand {

    @picocli.CommandLine.Mixin OutputOption.WithWide output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.getAll("/api/v1/applicationsets", new QueryString());
      output.print(response, () -> table(response.getJsonArray("items"), output.is("wide")));
    }

    /** Wide adds the project and the conditions that hold (type=True). */
    private static void table(JsonArray items, boolean wide) {
      Table table =
          wide
              ? new Table(
                  "NAME", "PROJECT", "APPLICATIONS", "ERRORS", "LAST GENERATED", "CONDITIONS")
              : new Table("NAME", "APPLICATIONS", "ERRORS", "LAST GENERATED");
      for (int i = 0; i < items.size(); i++) {
        JsonObject a = items.getJsonObject(i);
        JsonObject s = a.getJsonObject("status", new JsonObject());
        int errors = s.getJsonArray("errors", new JsonArray()).size();
        String generated = s.getString("lastGeneratedAt", "never");
        if (wide) {
          table.row(
              a.getString("name"),
              a.getString("project", "-"),
              s.getInteger("applications", 0),
              errors,
              generated,
              conditions(s.getJsonArray("conditions", new JsonArray())));
        } else {
          table.row(a.getString("name"), s.getInteger("applications", 0), errors, generated);
        }
      }
      table.print(System.out);
    }

    private static String conditions(JsonArray conditions) {
      java.util.List<String> held = new java.util.ArrayList<>();
      for (int i = 0; i < conditions.size(); i++) {
        JsonObject c = conditions.getJsonObject(i);
        if ("True".equals(c.getString("status"))) {
          held.add(c.getString("type"));
        }
      }
      return held.isEmpty() ? "-" : String.join(",", held);
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show an ApplicationSet's generated Applications and conditions.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject appSet = client.get(ApiClient.path("applicationsets", name));
      output.print(appSet, () -> describe(client, appSet));
    }

    private void describe(ApiClient client, JsonObject appSet) throws CliException {
      JsonObject status = appSet.getJsonObject("status", new JsonObject());
      System.out.println("ApplicationSet " + name);
      System.out.println("  last generated: " + status.getString("lastGeneratedAt", "never"));
      JsonArray conditions = status.getJsonArray("conditions", new JsonArray());
      for (int i = 0; i < conditions.size(); i++) {
        JsonObject c = conditions.getJsonObject(i);
        System.out.printf(
            "  %s=%s: %s%n", c.getString("type"), c.getString("status"), c.getString("message"));
      }
      JsonArray errors = status.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++) {
        JsonObject e = errors.getJsonObject(i);
        System.out.printf(
            "  error since %s at %s: %s%n",
            e.getString("since"), e.getString("location"), e.getString("message"));
      }
      status
          .getJsonArray("notes", new JsonArray())
          .forEach(n -> System.out.println("  note: " + n));
      JsonArray apps =
          client
              .getAll("/api/v1/applications", new QueryString().add("applicationSet", name))
              .getJsonArray("items");
      Table table = new Table("APPLICATION", "CLUSTER", "SYNC", "HEALTH", "REVISION");
      for (int i = 0; i < apps.size(); i++) {
        JsonObject a = apps.getJsonObject(i);
        if (name.equals(a.getString("applicationSet"))) {
          table.row(
              a.getString("name"),
              a.getString("cluster", "-"),
              a.getString("syncStatus"),
              a.getString("health"),
              shortSha(a.getString("revision")));
        }
      }
      System.out.println();
      table.print(System.out);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete an ApplicationSet and, as its policy says, the Applications it generated.",
        "The server deletes in the background; by default this waits until the set is gone,"
            + " showing progress on stderr."
      })
  static final class DeleteAppSet extends ApiCommand {
    /** How often progress is read while waiting. */
    private static final long POLL_MILLIS = 1000;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--wait",
        arity = "0..1",
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Wait until the deletion has finished (default); --wait=false returns once it has"
                + " started.")
    boolean wait;

    @Option(
        names = {"-y", "--yes"},
        description =
            "Accepted for scripts written for argocd; flotilla deletes without asking anyway.")
    boolean yes;

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      String path = ApiClient.path("applicationsets", name);
      JsonObject answer = client.delete(path);
      JsonObject deletion = answer.getJsonObject("deletion", new JsonObject());
      int total = deletion.getInteger("applications", 0);
      if (!deletion.getBoolean("deleteApplications", true)) {
        System.err.println(
            "applicationset " + name + ": its policy keeps its " + total + " Application(s)");
      }
      if (!wait) {
        output.print(
            answer,
            () ->
                System.out.println(
                    "applicationset "
                        + name
                        + " is being deleted (see `flotilla appset get "
                        + name
                        + "` for progress)"));
        return;
      }
      int shown = -1;
      while (true) {
        var current = client.find(path);
        if (current.isEmpty()) {
          break;
        }
        JsonObject progress =
            current.get().getJsonObject("status", new JsonObject()).getJsonObject("deletion");
        if (progress == null) {
          // Present but not being deleted: applied again meanwhile. Waiting would never end.
          throw new CliException(
              "applicationset "
                  + Table.escape(name)
                  + " exists and is not being deleted (was it applied again meanwhile?)");
        }
        int remaining = progress.getInteger("remaining", 0);
        if (remaining != shown) {
          System.err.printf(
              "applicationset %s: deleting, %d of %d Application(s) remaining%n",
              name, remaining, total);
          shown = remaining;
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException("interrupted; the deletion goes on on the server");
        }
      }
      // JSON/YAML: the deletion as the server started it ({name, deletion}); it has finished now.
      output.print(answer, () -> System.out.println("applicationset " + name + " deleted"));
    }
  }

  static String shortSha(String sha) {
    return sha == null || sha.length() < 8
        ? (sha == null || sha.isEmpty() ? "-" : sha)
        : sha.substring(0, 8);
  }

  static String readBounded(Path file) throws CliException {
    try {
      if (!Files.isRegularFile(file)) {
        throw new CliException(file + ": no such file");
      }
      if (Files.size(file) > MAX_INPUT_BYTES) {
        throw new CliException(file + ": larger than " + MAX_INPUT_BYTES + " bytes");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new CliException(file + ": cannot read: " + e.getMessage());
    }
  }
}
