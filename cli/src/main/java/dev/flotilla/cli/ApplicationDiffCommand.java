package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app diff NAME}: what a sync would change, as {@code argocd app diff}: exit 0 when
 * the cluster matches Git, 1 when it differs, 2 on an error, so CI can use it.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show how the live objects differ from Git: a kubectl-style unified diff per object (--- live,"
          + " +++ desired). Fields ignoreDifferences names, defaults the API server filled in,"
          + " status and managedFields are not shown as differences; Secret values are masked.",
      "Read by the Application's agent from its cluster. Exit code: 0 no difference, 1 some"
          + " object differs, 2 error (as argocd app diff)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the live objects match Git", "1:some object differs", "2:an error"})
final class ApplicationDiffCommand implements Callable<Integer> {

  static final int SAME = 0;
  static final int DIFFERENT = 1;
  static final int ERROR = 2;

  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Mixin OutputOption.Standard output;

  @Override
  public Integer call() {
    try {
      JsonObject diff = api.client().get(ApiClient.path("applications", name, "diff"));
      output.print(diff, () -> print(diff));
      return diff.getBoolean("modified", false) ? DIFFERENT : SAME;
    } catch (CliException e) {
      System.err.println("error: " + Table.escape(e.getMessage()));
      return ERROR;
    }
  }

  private static void print(JsonObject diff) {
    JsonArray items = diff.getJsonArray("items", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      JsonObject d = items.getJsonObject(i);
      if (!d.getBoolean("modified", false)) {
        continue;
      }
      System.out.println(
          "===== "
              + Table.escape(ApplicationResourcesCommand.kind(d))
              + " "
              + Table.escape(ApplicationResourcesCommand.namespaced(d))
              + " ======");
      // Escaped line by line: a manifest may hold anything, never terminal control sequences.
      for (String line : d.getString("diff", "").split("\n", -1)) {
        System.out.println(Table.escape(line));
      }
    }
  }
}
