package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla repocreds add|list|rm}: credential templates by URL prefix, as {@code argocd
 * repocreds}.
 */
@Command(
    name = "repocreds",
    mixinStandardHelpOptions = true,
    description = {
      "Credential templates: one set of credentials for every repository whose URL starts with a"
          + " prefix. A repository's own entry (flotilla repo add) wins over a template; among"
          + " templates the longest matching prefix wins.",
    },
    subcommands = {
      RepoCredsCommand.Add.class,
      RepoCredsCommand.ListCreds.class,
      RepoCredsCommand.Remove.class
    })
final class RepoCredsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a credential template for every repository under PREFIX.",
        "",
        "Examples:",
        "  echo \"$TOKEN\" | flotilla repocreds add https://github.com/acme/ --username git"
            + " --password-stdin",
        "  flotilla repocreds add ssh://git@git.example.com/platform/ --ssh-private-key-path key",
      })
  static final class Add extends ApiCommand {
    @Parameters(
        index = "0",
        paramLabel = "PREFIX",
        description =
            "URL prefix, e.g. https://github.com/acme/ (end it with / to match whole"
                + " path segments).")
    String prefix;

    @Mixin RepositoryFlags flags;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject request = flags.request(prefix, true);
      flags.checkNew(client, prefix, "credential template", "repocreds rm");
      client.post("/api/v1/repositories", request.encode(), "application/json");
      System.out.println("credential template " + prefix + " added");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List credential templates (never a password or key).",
        "",
        "Examples:",
        "  flotilla repocreds list",
        "  flotilla repocreds list -o yaml",
      })
  static final class ListCreds extends ApiCommand {

    @Mixin RepositoryListing.Output output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response =
          RepositoryListing.only(client.getAll("/api/v1/repositories", new QueryString()), true);
      output.print(response, () -> RepositoryListing.templates(response));
    }
  }

  @Command(
      name = "rm",
      aliases = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a credential template.",
        "",
        "Example:",
        "  flotilla repocreds rm https://github.com/acme/",
      })
  static final class Remove extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PREFIX")
    String prefix;

    @Override
    void run(ApiClient client) throws CliException {
      try {
        client.delete(ApiClient.path("repositories", prefix) + "?template=true");
      } catch (CliException e) {
        throw new CliException(
            e.getMessage()
                + (e.getMessage().endsWith("not found")
                    ? " (see 'flotilla repocreds list'; repositories are removed with 'flotilla"
                        + " repo rm')"
                    : ""));
      }
      System.out.println("credential template " + prefix + " removed");
    }
  }
}
