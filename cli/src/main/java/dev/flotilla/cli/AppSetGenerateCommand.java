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

/**
 * {@code flotilla appset generate}: the ApplicationSet engine run locally, reading Git and a
 * clusters file from disk, so an ApplicationSet can be tried before a server ever sees it.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Render an ApplicationSet offline, without a server: prints the generated Applications as a"
          + " YAML stream sorted by name.",
      "On any error nothing is printed on stdout; stderr says what is wrong and where, and the exit"
          + " code is 1."
    })
final class AppSetGenerateCommand implements Callable<Integer> {

  /** Clusters files, bounded like every YAML input: after alias expansion too. */
  private static final BoundedYaml CLUSTERS_YAML =
      new BoundedYaml((int) AppSetCommand.MAX_INPUT_BYTES);

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "APPSET.yaml",
      description = "The ApplicationSet file (as Argo CD's `argocd appset generate FILE`).")
  Path positional;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "The same, as `appset create -f` takes it.")
  Path fileOption;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

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

  @picocli.CommandLine.Mixin OutputOption.Documents output;

  @Override
  public Integer call() throws IOException {
    if ((positional == null) == (fileOption == null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give the ApplicationSet file once: APPSET.yaml or -f FILE");
    }
    Path file = positional != null ? positional : fileOption;
    Path cache = Files.createTempDirectory("flotilla-generate-");
    try {
      String text = AppSetCommand.readBounded(file);
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
      System.out.print(render(result.applications(), output.format()));
      System.out.flush();
      return 0;
    } catch (InvalidApplicationSetException | CliException e) {
      System.err.println("error: " + Table.escape(file + ": " + e.getMessage()));
      return 1;
    } finally {
      deleteTree(cache);
    }
  }

  private static String render(List<GeneratedApplication> apps, String output) throws IOException {
    if (output.equals("wide")) {
      return table(apps);
    }
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

  /** One row per generated Application: where it goes and what it deploys. */
  private static String table(List<GeneratedApplication> apps) {
    Table table = new Table("NAME", "PROJECT", "CLUSTER", "NAMESPACE", "REPO", "PATH", "TARGET");
    for (GeneratedApplication a : apps) {
      table.row(
          a.name(),
          a.project(),
          a.destinationName().isEmpty() ? a.destinationServer() : a.destinationName(),
          a.destinationNamespace(),
          a.repoUrl(),
          a.spec().path("source").path("path").asText(""),
          a.targetRevision());
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    table.print(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<ClusterInfo> readClusters(Path file) throws CliException {
    JsonNode root;
    try {
      root = CLUSTERS_YAML.read(AppSetCommand.readBounded(file));
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
