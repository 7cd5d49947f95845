package dev.flotilla.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla app logs NAME}, as {@code argocd app logs}: Pod logs read by the agent. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the logs of an Application's Pods, read by its agent: one Pod (--kind Pod --name P),"
          + " or the Pods of one of its workloads (--kind Deployment --name web, the default kind"
          + " being Pod), or without --name the Pods of every workload it manages.",
      "Needs the 'logs, get' permission on the Application as well as 'applications, get'."
    })
final class ApplicationLogsCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--group", description = "API group of --kind (e.g. apps); guessed when unset.")
  String group;

  @Option(names = "--kind", defaultValue = "Pod", description = "Default: ${DEFAULT-VALUE}.")
  String kind;

  @Option(names = "--name", paramLabel = "RESOURCE", description = "The object's name.")
  String resourceName;

  @Option(names = "--namespace", description = "The object's namespace (when names repeat).")
  String namespace;

  @Option(
      names = {"-c", "--container"},
      description = "Default: the Pod's first container.")
  String container;

  @Option(names = "--tail", defaultValue = "0", description = "Last N lines (default 1000).")
  int tail;

  @Option(
      names = "--since-seconds",
      defaultValue = "0",
      description = "Only lines newer than this many seconds.")
  long sinceSeconds;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (the lines) or json (one JSON object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  @Override
  void run(ApiClient client) throws CliException {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CliException("--output: expected text or json, found '" + format + "'");
    }
    if (resourceName == null) {
      for (JsonObject workload : workloads(client)) {
        read(client, workload);
      }
      return;
    }
    read(
        client,
        new JsonObject()
            .put("group", group == null ? guessGroup(kind) : group)
            .put("kind", kind)
            .put("namespace", namespace == null ? "" : namespace)
            .put("name", resourceName));
  }

  /** The managed objects that have Pods under them (or are Pods), from the resource tree. */
  private java.util.List<JsonObject> workloads(ApiClient client) throws CliException {
    JsonObject tree = client.get(ApiClient.path("applications", name, "resource-tree"));
    JsonArray nodes = tree.getJsonArray("nodes", new JsonArray());
    java.util.List<JsonObject> out = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      String k = n.getString("kind", "");
      if (n.getBoolean("managed", false)
          && java.util.Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod")
              .contains(k)) {
        out.add(n);
      }
    }
    if (out.isEmpty()) {
      throw new CliException("application '" + name + "' has no workloads with Pods");
    }
    return out;
  }

  private void read(ApiClient client, JsonObject object) throws CliException {
    String path =
        ApiClient.path("applications", name, "logs")
            + new QueryString()
                .add("group", object.getString("group", ""))
                .add("kind", object.getString("kind"))
                .add("namespace", object.getString("namespace", ""))
                .add("name", object.getString("name"))
                .add("container", container)
                .add("tail", tail > 0 ? tail : null)
                .add("sinceSeconds", sinceSeconds > 0 ? sinceSeconds : null)
                .add("follow", follow ? "true" : null);
    if (!follow) {
      JsonArray items = client.get(path).getJsonArray("items", new JsonArray());
      for (int i = 0; i < items.size(); i++) {
        print(items.getJsonObject(i));
      }
      return;
    }
    client.streamLines(
        path,
        line -> {
          if (line.isBlank()) {
            return;
          }
          try {
            JsonObject entry = new JsonObject(line);
            if (entry.containsKey("error")) {
              System.err.println("error: " + Table.escape(entry.getString("error")));
              return;
            }
            print(entry);
          } catch (DecodeException e) {
            System.err.println("error: unexpected line from the server");
          }
        });
  }

  private void print(JsonObject line) {
    if (format.equals("json")) {
      System.out.println(line.encode());
    } else {
      System.out.println(Table.escape(line.getString("text", "")));
    }
    System.out.flush();
  }

  /** The API group of the workload kinds people name without one, as kubectl does. */
  static String guessGroup(String kind) {
    return switch (kind) {
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> "apps";
      case "Job", "CronJob" -> "batch";
      default -> "";
    };
  }
}
