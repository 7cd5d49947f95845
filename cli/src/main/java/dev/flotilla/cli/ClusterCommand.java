package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla cluster add|list|remove|revoke}. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Register clusters and manage their agents' join tokens.",
    subcommands = {
      ClusterCommand.Add.class,
      ClusterCommand.ListClusters.class,
      ClusterCommand.Update.class,
      ClusterCommand.Remove.class,
      ClusterCommand.Revoke.class
    })
final class ClusterCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Register a cluster and print its agent's join token. The token is shown only this once"
            + " (the control plane stores a hash)."
      })
  static final class Add extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Cluster name (a DNS label).")
    String name;

    @Option(
        names = "--label",
        paramLabel = "KEY=VALUE",
        description = "Label for cluster generators, e.g. --label env=prod (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
        names = "--annotation",
        paramLabel = "KEY=VALUE",
        description = "Annotation (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Option(
        names = "--server",
        paramLabel = "URL",
        description =
            "The cluster's API server URL, as Applications name it in destination.server.")
    String server;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body =
          new JsonObject()
              .put("name", name)
              .put("labels", new JsonObject(new LinkedHashMap<>(labels)))
              .put("annotations", new JsonObject(new LinkedHashMap<>(annotations)));
      if (server != null) {
        body.put("server", server);
      }
      JsonObject created = client.post("/api/v1/clusters", body.encode(), "application/json");
      System.out.println(
          "cluster " + name + " registered (server " + created.getString("server") + ").");
      System.out.println("join token (shown once; keep it secret):");
      System.out.println("  " + created.getString("token"));
      System.out.println("run the agent in that cluster with:");
      System.out.println(
          "  flotilla agent --control-plane HOST:9090 --cluster "
              + name
              + " --token "
              + created.getString("token"));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List registered clusters.")
  static final class ListClusters extends ApiCommand {

    @picocli.CommandLine.Mixin OutputOption.Standard output;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject response = client.getAll("/api/v1/clusters", new QueryString());
      output.print(response, () -> table(response));
    }

    private static void table(JsonObject response) {
      JsonArray items = response.getJsonArray("items");
      Table table = new Table("NAME", "SERVER", "LABELS", "AGENT", "HEALTH", "LAST SEEN");
      for (int i = 0; i < items.size(); i++) {
        JsonObject c = items.getJsonObject(i);
        table.row(
            c.getString("name"),
            c.getString("server"),
            labels(c.getJsonObject("labels")),
            (c.getBoolean("connected") ? "connected" : "disconnected")
                + (c.getString("streamProblem") != null ? " (stream problem)" : ""),
            health(c.getJsonObject("agentHealth")),
            c.getString("lastSeenAt", "never"));
      }
      if (table.isEmpty()) {
        System.out.println(
            "no clusters (none registered, or none you may see); register one: flotilla cluster add NAME");
      } else {
        table.print(System.out);
        streamProblems(items);
      }
    }

    /** What agents reported they could not take: their Applications' status may be stale. */
    private static void streamProblems(JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        JsonObject c = items.getJsonObject(i);
        if (c.getString("streamProblem") != null) {
          System.out.println(
              "cluster "
                  + c.getString("name")
                  + ", since "
                  + c.getString("streamProblemAt")
                  + ": "
                  + c.getString("streamProblem"));
        }
      }
    }

    /** The agent's own health, with why when it is not OK (shortened; -o json has it all). */
    static String health(JsonObject health) {
      if (health == null) {
        return "Unknown";
      }
      String state = health.getString("state", "Unknown");
      String message = health.getString("message", "");
      if (message.isEmpty()) {
        return state;
      }
      return state + ": " + (message.length() <= 60 ? message : message.substring(0, 57) + "...");
    }

    private static String labels(JsonObject labels) {
      StringBuilder sb = new StringBuilder();
      labels.forEach(
          e ->
              sb.append(sb.length() == 0 ? "" : ",")
                  .append(e.getKey())
                  .append('=')
                  .append(e.getValue()));
      return sb.toString();
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Replace a cluster's labels and annotations; ApplicationSets regenerate at once (cluster"
              + " generators select by label).")
  static final class Update extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
        names = "--annotation",
        paramLabel = "KEY=VALUE",
        description = "Annotation (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject body =
          new JsonObject()
              .put("labels", new JsonObject(new LinkedHashMap<>(labels)))
              .put("annotations", new JsonObject(new LinkedHashMap<>(annotations)));
      client.put(ApiClient.path("clusters", name), body.encode());
      System.out.println("cluster " + name + " updated");
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Unregister a cluster and disconnect its agent.")
  static final class Remove extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(ApiClient client) throws CliException {
      client.delete(ApiClient.path("clusters", name));
      System.out.println("cluster " + name + " removed");
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a cluster's join token; its agent is disconnected and refused from now on.")
  static final class Revoke extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(ApiClient client) throws CliException {
      client.post(ApiClient.path("clusters", name, "revoke"), "{}", "application/json");
      System.out.println("token of cluster " + name + " revoked");
    }
  }
}
