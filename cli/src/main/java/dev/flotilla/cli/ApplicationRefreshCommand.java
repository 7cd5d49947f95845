package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla app refresh NAME [--hard]}. */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    description = {
      "Re-read Git and the cluster for an Application now, instead of at the next poll: the"
          + " control plane resolves its targetRevision again and its agent compares again."
          + " Applies only what the sync policy would anyway.",
      "--hard, as Argo CD's hard refresh, reuses no cache: the control plane re-resolves the"
          + " revision before it answers, and the agent fetches Git (and downloads a chart) again"
          + " and renders anew."
    })
final class ApplicationRefreshCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(
      names = "--hard",
      description = "Fetch and render anew, reusing no cached fetch or chart.")
  boolean hard;

  @Mixin OutputOption.Standard output;

  @Override
  void run(ApiClient client) throws CliException {
    JsonObject r =
        client.post(
            ApiClient.path("applications", name, "refresh"),
            new JsonObject().put("hard", hard).encode(),
            "application/json");
    output.print(
        r,
        () -> {
          System.out.println((hard ? "hard refresh" : "refresh") + " of " + name + " requested");
          if (!r.getBoolean("agentNotified", false)) {
            System.err.println(
                "note: the agent of "
                    + name
                    + " is not connected; it compares again when it reconnects");
          }
        });
  }
}
