package dev.flotilla.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla app create -f FILE [--upsert]}, as {@code argocd app create -f}: the same
 * manifest again is no error, a different one for an existing name is refused unless {@code
 * --upsert}.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create Applications from an Argo CD Application manifest file (YAML or JSON).")
final class ApplicationCreateCommand extends ApiCommand {

  @Option(
      names = {"-f", "--file", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "The manifest; several documents may be separated by ---.")
  Path file;

  @Option(
      names = "--upsert",
      description = "Replace an existing Application whose manifest differs.")
  boolean upsert;

  @Override
  void run(ApiClient client) throws CliException {
    ApplicationApplyCommand.send(
        client,
        ManifestFiles.read(file, false),
        "/api/v1/applications" + (upsert ? "?upsert=true" : ""),
        ApplicationApplyCommand.Style.ARGOCD);
  }
}
