package dev.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla appset create -f FILE [--upsert]}, as {@code argocd appset create}: creates an
 * ApplicationSet; one that exists already is left alone when the file holds the same spec, and
 * replaced only with {@code --upsert} (else refused, naming it). {@code appset apply} always
 * replaces.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create an ApplicationSet from a YAML or JSON file, as `argocd appset create` does.",
      "An ApplicationSet of that name that exists already is refused unless its spec is the same,"
          + " or --upsert is given (then it is updated, as `flotilla appset apply` does)."
    })
final class AppSetCreateCommand extends ApiCommand {

  private static final BoundedYaml YAML = new BoundedYaml((int) AppSetCommand.MAX_INPUT_BYTES);

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "As argocd takes it.")
  Path positional;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "The ApplicationSet file.")
  Path fileOption;

  @Option(names = "--upsert", description = "Update the ApplicationSet if it exists already.")
  boolean upsert;

  @Mixin OutputOption.Standard output;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  void run(ApiClient client) throws CliException {
    if ((positional == null) == (fileOption == null)) {
      throw new ParameterException(
          spec.commandLine(), "give the ApplicationSet file once: FILE or -f FILE");
    }
    Path file = positional != null ? positional : fileOption;
    String text = AppSetCommand.readBounded(file);
    JsonNode document;
    try {
      document = YAML.read(text);
    } catch (YamlException e) {
      throw new CliException(file + ": not valid YAML: " + e.getMessage());
    }
    String name = document == null ? "" : document.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      throw new CliException(file + ": metadata.name is missing");
    }
    String path = ApiClient.path("applicationsets", name);
    Optional<JsonObject> existing = client.find(path);
    String verb = "created";
    if (existing.isPresent()) {
      if (sameSpec(existing.get(), document)) {
        output.print(
            existing.get(), () -> System.out.println("applicationset " + name + " unchanged"));
        return;
      }
      if (!upsert) {
        throw new CliException(
            "applicationset "
                + name
                + " exists already with a different spec; use --upsert to update it");
      }
      verb = "updated";
    }
    client.post("/api/v1/applicationsets", text, "application/yaml");
    String done = verb;
    if (output.is("table")) {
      System.out.println("applicationset " + name + " " + done);
    } else {
      output.print(client.get(path), () -> {});
    }
  }

  private static boolean sameSpec(JsonObject stored, JsonNode document) {
    JsonObject storedDocument = stored.getJsonObject("document", new JsonObject());
    Object storedSpec = storedDocument.getValue("spec");
    JsonNode spec = document.path("spec");
    return storedSpec != null
        && !spec.isMissingNode()
        && new JsonObject()
            .put("spec", storedSpec)
            .equals(new JsonObject("{\"spec\":" + spec + "}"));
  }
}
