package dev.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.ApplicationSet;
import dev.flotilla.generators.ApplicationSetEngine;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.GeneratorInputs;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.generators.InvalidApplicationSetException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla appset generate|apply|list|get|delete}. */
@Command(
    name = "appset",
    mixinStandardHelpOptions = true,
    description = "Work with ApplicationSets (Argo CD's argoproj.io/v1alpha1 YAML).",
    subcommands = {
      AppSetCommand.Generate.class,
      AppSetCommand.Apply.class,
      AppSetCommand.ListAppSets.class,
      AppSetCommand.Get.class,
      AppSetCommand.DeleteAppSet.class
    })
final class AppSetCommand implements Runnable {

  /** Largest ApplicationSet or clusters file read from disk. */
  static final long MAX_INPUT_BYTES = 4L * 1024 * 1024;

  /** Clusters files, bounded like every YAML input: after alias expansion too. */
  private static final BoundedYaml CLUSTERS_YAML = new BoundedYaml((int) MAX_INPUT_BYTES);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Render an ApplicationSet offline, without a server: prints the generated Applications as a"
            + " YAML stream sorted by name.",
        "On any error nothing is printed on stdout; stderr says what is wrong and where, and the exit"
            + " code is 1."
      })
  static final class Generate implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "APPSET.yaml")
    Path file;

    @Option(
        names = "--clusters",
        paramLabel = "CLUSTERS.yaml",
        description =
            "Clusters for the cluster generator: clusters: [{name, server, labels, annotations}].")
    Path clustersFile;

    @Option(
        names = "--repo",
        paramLabel = "URL=DIR",
        description =
            "Read git generators' repoURL URL from the local repository DIR (repeatable). Unmapped"
                + " URLs are cloned.")
    Map<String, Path> repos = new HashMap<>();

    @Option(
        names = {"-o", "--output"},
        defaultValue = "yaml",
        description = "yaml or json. Default: ${DEFAULT-VALUE}.")
    String output;

    @Override
    public Integer call() throws IOException {
      if (!output.equals("yaml") && !output.equals("json")) {
        System.err.println("error: --output must be yaml or json, got '" + output + "'");
        return 2;
      }
      Path cache = Files.createTempDirectory("flotilla-generate-");
      try {
        String text = readBounded(file);
        ApplicationSet appSet = ApplicationSetParser.parse(text);
        List<ClusterInfo> clusters = clustersFile == null ? List.of() : readClusters(clustersFile);
        GitRepositories git = new GitRepositories(cache);
        GeneratorInputs inputs =
            new GeneratorInputs() {
              @Override
              public List<ClusterInfo> clusters() {
                return clusters;
              }

              @Override
              public GitTreeSnapshot gitTree(String repoUrl, String revision)
                  throws GitInputException {
                Path local = repos.get(repoUrl);
                return git.snapshot(
                    local == null ? repoUrl : local.toAbsolutePath().toString(), revision);
              }
            };
        GenerationResult result = new ApplicationSetEngine().generate(appSet, inputs);
        if (result.hasErrors()) {
          System.err.println("error: " + Table.escape(file.toString()) + ": generation failed:");
          for (GenerationError e : result.errors()) {
            System.err.println("  " + Table.escape(e.location() + ": " + e.message()));
          }
          return 1;
        }
        System.out.print(render(result.applications(), output));
        System.out.flush();
        return 0;
      } catch (InvalidApplicationSetException | CliException e) {
        System.err.println("error: " + Table.escape(file + ": " + e.getMessage()));
        return 1;
      } finally {
        deleteTree(cache);
      }
    }

    private static String render(List<GeneratedApplication> apps, String output)
        throws IOException {
      if (output.equals("json")) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<JsonNode> docs = new ArrayList<>();
        apps.forEach(a -> docs.add(a.document()));
        return json.writeValueAsString(docs) + "\n";
      }
      ObjectMapper yaml =
          new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build());
      StringWriter out = new StringWriter();
      for (GeneratedApplication a : apps) {
        out.write("---\n");
        out.write(yaml.writeValueAsString(a.document()));
      }
      return out.toString();
    }

    private static List<ClusterInfo> readClusters(Path file) throws CliException {
      JsonNode root;
      try {
        root = CLUSTERS_YAML.read(readBounded(file));
      } catch (YamlException e) {
        throw new CliException(file + ": not valid YAML: " + e.getMessage());
      }
      JsonNode list = root == null ? null : root.get("clusters");
      if (list == null || !list.isArray()) {
        throw new CliException(file + ": expected a top-level 'clusters:' list");
      }
      List<ClusterInfo> clusters = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode c = list.get(i);
        String name = c.path("name").asText("");
        if (name.isEmpty()) {
          throw new CliException(file + ": clusters[" + i + "].name is required");
        }
        clusters.add(
            new ClusterInfo(
                name,
                c.path("server").asText(""),
                stringMap(c.path("labels"), file + ": clusters[" + i + "].labels"),
                stringMap(c.path("annotations"), file + ": clusters[" + i + "].annotations")));
      }
      return clusters;
    }

    private static Map<String, String> stringMap(JsonNode node, String where) throws CliException {
      Map<String, String> map = new TreeMap<>();
      if (node.isMissingNode() || node.isNull()) {
        return map;
      }
      if (!node.isObject()) {
        throw new CliException(where + " must be a map of strings");
      }
      var fields = node.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        if (!e.getValue().isValueNode()) {
          throw new CliException(where + "." + e.getKey() + " must be a string");
        }
        map.put(e.getKey(), e.getValue().asText());
      }
      return map;
    }
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

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject r = client.post("/api/v1/applicationsets", readBounded(file), "application/yaml");
      System.out.println("applicationset " + r.getString("name") + " applied");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List ApplicationSets.")
  static final class ListAppSets extends ApiCommand {

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.getAll("/api/v1/applicationsets", new QueryString());
      output.print(response, () -> table(response.getJsonArray("items")));
    }

    private static void table(JsonArray items) {
      Table table = new Table("NAME", "APPLICATIONS", "ERRORS", "LAST GENERATED");
      for (int i = 0; i < items.size(); i++) {
        JsonObject a = items.getJsonObject(i);
        JsonObject s = a.getJsonObject("status", new JsonObject());
        table.row(
            a.getString("name"),
            s.getInteger("applications", 0),
            s.getJsonArray("errors", new JsonArray()).size(),
            s.getString("lastGeneratedAt", "never"));
      }
      table.print(System.out);
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

    @Override
    void run(ApiClient client) throws CliException {
      String path = ApiClient.path("applicationsets", name);
      JsonObject deletion = client.delete(path).getJsonObject("deletion", new JsonObject());
      int total = deletion.getInteger("applications", 0);
      if (!deletion.getBoolean("deleteApplications", true)) {
        System.err.println(
            "applicationset " + name + ": its policy keeps its " + total + " Application(s)");
      }
      if (!wait) {
        System.out.println(
            "applicationset "
                + name
                + " is being deleted (see `flotilla appset get "
                + name
                + "` for progress)");
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
      System.out.println("applicationset " + name + " deleted");
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

  /**
   * Best effort: a file that vanishes during the walk (JGit tidies its own temporary files)
   * surfaces as an UncheckedIOException, which must not turn a finished command into a failure.
   */
  private static void deleteTree(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // Temporary directory; the OS cleans it eventually.
    }
  }
}
