package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla app apply -f FILE|DIR}: creates or updates every Application manifest found, as
 * {@code kubectl apply -f} does, reporting each as created, configured or unchanged. A bad document
 * does not stop the others; the command then fails naming each one.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Create or update Applications from Argo CD Application manifests: a file, or every *.yaml,"
          + " *.yml and *.json file of a directory.",
      "Documents of other kinds are skipped; one that is refused does not stop the others."
    })
final class ApplicationApplyCommand extends ApiCommand {

  @Option(
      names = {"-f", "--filename", "--file"},
      required = true,
      paramLabel = "FILE|DIR",
      description = "Manifest file or directory of manifests.")
  Path path;

  @Option(
      names = {"-R", "--recursive"},
      description = "Also read the subdirectories of a directory.")
  boolean recursive;

  @Override
  void run(ApiClient client) throws CliException {
    List<ManifestFiles.Entry> entries = ManifestFiles.read(path, recursive);
    send(client, entries, "/api/v1/applications?upsert=true", Style.KUBECTL);
  }

  /** How results are worded: kubectl's apply or argocd's create. */
  enum Style {
    KUBECTL,
    ARGOCD
  }

  /**
   * Sends each Application document to {@code endpoint}, printing what each did; throws naming the
   * documents that failed, after trying all.
   */
  static void send(
      ApiClient client, List<ManifestFiles.Entry> entries, String endpoint, Style style)
      throws CliException {
    List<String> failed = new ArrayList<>();
    int applications = 0;
    for (ManifestFiles.Entry e : entries) {
      if (e.error() != null) {
        System.err.println("error: " + Table.escape(e.source() + ": " + e.error()));
        failed.add(e.source());
        continue;
      }
      if (!"Application".equals(e.kind())) {
        System.err.println(
            "skipped "
                + Table.escape(e.source())
                + ": kind "
                + Table.escape(e.kind().isEmpty() ? "(none)" : e.kind())
                + " is not an Application");
        continue;
      }
      applications++;
      try {
        JsonObject r = client.post(endpoint, e.document().encode(), "application/json");
        String name = Table.escape(r.getString("name"));
        String result = r.getString("result");
        System.out.println(
            style == Style.KUBECTL
                ? "application.argoproj.io/" + name + " " + result
                : "application '" + name + "' " + result);
        if (r.getString("dispatchError") != null) {
          System.err.println(
              "warning: application '"
                  + name
                  + "' is not sent to any agent: "
                  + Table.escape(r.getString("dispatchError")));
        }
      } catch (CliException ex) {
        System.err.println("error: " + Table.escape(e.source() + ": " + ex.getMessage()));
        failed.add(e.source());
      }
    }
    if (applications == 0 && failed.isEmpty()) {
      throw new CliException("no Application manifest (kind: Application) found in " + entries);
    }
    if (!failed.isEmpty()) {
      throw new CliException(failed.size() + " manifest(s) failed: " + String.join(", ", failed));
    }
  }
}
