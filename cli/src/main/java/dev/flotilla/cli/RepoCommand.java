package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla repo add|list|rm}: credentials of private Git repositories, as {@code argocd
 * repo}.
 */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = {
      "Credentials of private Git repositories, used by the control plane (generators, revision"
          + " resolution) and sent to the agents that deploy from them. Stored encrypted; never"
          + " shown again.",
      "For many repositories under one URL prefix, see: flotilla repocreds"
    },
    subcommands = {RepoCommand.Add.class, RepoCommand.ListRepos.class, RepoCommand.Remove.class})
final class RepoCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add the credentials of one repository (HTTPS user and password or token, or an SSH"
            + " deploy key). They take effect at the next fetch; see the result in"
            + " 'flotilla repo list'.",
        "",
        "Examples:",
        "  echo \"$GITHUB_TOKEN\" | flotilla repo add https://github.com/acme/deploy.git"
            + " --username git --password-stdin",
        "  flotilla repo add ssh://git@git.example.com/acme/deploy.git"
            + " --ssh-private-key-path ~/.ssh/deploy_key",
        "  flotilla repo add git@github.com:acme/deploy.git --ssh-private-key-path key"
            + " --insecure-ignore-host-key",
      })
  static final class Add extends ApiCommand {
    @Parameters(index = "0", paramLabel = "URL", description = "The repository URL.")
    String url;

    @Mixin RepositoryFlags flags;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject request = flags.request(url, false);
      flags.checkNew(client, url, "repository", "repo rm");
      JsonObject added = client.post("/api/v1/repositories", request.encode(), "application/json");
      System.out.println(
          "repository "
              + added.getString("url")
              + " added ("
              + added.getString("type")
              + (added.getString("username") != null ? ", user " + added.getString("username") : "")
              + "); its connection state shows in: flotilla repo list");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List repositories with their connection state: whether the last fetch worked, and the"
            + " last error. Never a password or key.",
        "",
        "Examples:",
        "  flotilla repo list",
        "  flotilla repo list -o wide",
        "  flotilla repo list -o json",
      })
  static final class ListRepos extends ApiCommand {

    @Mixin RepositoryListing.Output output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response =
          RepositoryListing.only(client.getAll("/api/v1/repositories", new QueryString()), false);
      output.print(response, () -> RepositoryListing.repositories(response, output.is("wide")));
    }
  }

  @Command(
      name = "rm",
      aliases = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a repository's credentials; the next fetch goes without them (or with a matching"
            + " credential template).",
        "",
        "Example:",
        "  flotilla repo rm https://github.com/acme/deploy.git",
      })
  static final class Remove extends ApiCommand {
    @Parameters(index = "0", paramLabel = "URL")
    String url;

    @Override
    void run(ApiClient client) throws CliException {
      try {
        client.delete(ApiClient.path("repositories", url) + "?template=false");
      } catch (CliException e) {
        throw new CliException(
            e.getMessage()
                + (e.getMessage().endsWith("not found")
                    ? " (see 'flotilla repo list'; templates are removed with 'flotilla repocreds"
                        + " rm')"
                    : ""));
      }
      System.out.println("repository " + url + " removed");
    }
  }
}
