package dev.flotilla.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla app manifests NAME [--source git|live]}, as {@code argocd app manifests}. */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    description = {
      "Print an Application's manifests as YAML documents: as rendered from Git (--source git,"
          + " the default: what the agent last rendered, at the revision shown) or as they are live"
          + " in the cluster (--source live). Read by the Application's agent; Secret values are"
          + " masked."
    })
final class ApplicationManifestsCommand extends ApiCommand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(
      names = "--source",
      paramLabel = "SOURCE",
      defaultValue = "git",
      description = "git or live. Default: ${DEFAULT-VALUE}.")
  String source;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      description = "yaml (the manifests) or json (the API's answer). Default: ${DEFAULT-VALUE}.")
  String format;

  @Override
  void run(ApiClient client) throws CliException {
    if (!format.equals("yaml") && !format.equals("json")) {
      throw new CliException("--output: expected yaml or json, found '" + format + "'");
    }
    JsonObject answer =
        client.get(
            ApiClient.path("applications", name, "manifests")
                + new QueryString().add("source", source));
    if (format.equals("json")) {
      System.out.println(answer.encodePrettily());
      return;
    }
    JsonArray items = answer.getJsonArray("items", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      System.out.println("---");
      System.out.print(yaml(items.getJsonObject(i).getJsonObject("manifest")));
    }
  }

  /** Control characters escaped in each line, the line breaks kept. */
  static String escapeLines(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(Table.escape(line));
    }
    return out.toString();
  }

  static String yaml(JsonObject object) throws CliException {
    try {
      return escapeLines(YAML.writeValueAsString(JSON.readTree(object.encode())));
    } catch (JsonProcessingException e) {
      throw new CliException("cannot write YAML: " + e.getMessage());
    }
  }
}
