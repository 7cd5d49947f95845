package dev.flotilla.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app delete NAME... [--cascade=false] [-y]}, as {@code argocd app delete}: by
 * default the Application's resources are deleted from its cluster too; {@code --cascade=false}
 * leaves them there. Asks first unless {@code -y}.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete Applications created from manifests; with cascade (the default) their resources are"
          + " deleted from the cluster too.",
      "Applications of an ApplicationSet are deleted by changing the ApplicationSet."
    })
final class ApplicationDeleteCommand extends ApiCommand {

  @Parameters(arity = "1..*", paramLabel = "NAME")
  List<String> names;

  @Option(
      names = "--cascade",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Delete the Application's resources too (default); --cascade=false leaves them in the"
              + " cluster.")
  boolean cascade;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  /** One reader for every question, so answers typed ahead are not lost in a buffer. */
  private BufferedReader stdin;

  @Override
  void run(ApiClient client) throws CliException {
    for (String name : names) {
      if (!yes && !confirmed(name)) {
        System.err.println("application '" + Table.escape(name) + "' kept");
        continue;
      }
      client.delete(ApiClient.path("applications", name) + "?cascade=" + cascade);
      System.out.println("application '" + Table.escape(name) + "' deleted");
    }
  }

  private boolean confirmed(String name) throws CliException {
    if (System.console() == null) {
      throw new CliException(
          "no terminal to confirm deleting application '"
              + name
              + "': pass -y to delete without asking");
    }
    System.err.print(
        "Are you sure you want to delete '"
            + Table.escape(name)
            + "'"
            + (cascade ? " and all its resources" : " (its resources stay in the cluster)")
            + "? [y/n] ");
    try {
      if (stdin == null) {
        stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      }
      String answer = stdin.readLine();
      return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    } catch (IOException e) {
      throw new CliException("cannot read the answer: " + e.getMessage());
    }
  }
}
