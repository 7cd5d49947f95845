package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app resources NAME}: the Application's resource tree as its agent last reported
 * it — the objects it manages and their children (ReplicaSets, Pods, EndpointSlices, Jobs' Pods).
 */
@Command(
    name = "resources",
    mixinStandardHelpOptions = true,
    description = {
      "List an Application's objects and their children found through ownerReferences"
          + " (ReplicaSets, Pods, EndpointSlices, Jobs' Pods...), each with its health and, for the"
          + " objects it manages, its sync status, as a tree. Reported by the agent with the"
          + " Application's status.",
      "--orphaned lists only the objects the Application still owns in the cluster that Git no"
          + " longer has (what a sync with prune deletes)."
    })
final class ApplicationResourcesCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--orphaned", description = "Only objects Git no longer has.")
  boolean orphaned;

  @Mixin OutputOption.Standard output;

  @Override
  void run(ApiClient client) throws CliException {
    JsonObject tree = client.get(ApiClient.path("applications", name, "resource-tree"));
    if (orphaned) {
      JsonObject app = client.get(ApiClient.path("applications", name));
      tree.put("nodes", orphans(tree.getJsonArray("nodes", new JsonArray()), app));
    }
    output.print(tree, () -> print(tree));
  }

  /** Managed objects the Application's status says require pruning (or are kept from it). */
  private static JsonArray orphans(JsonArray nodes, JsonObject app) {
    JsonArray resources = app.getJsonArray("resources", new JsonArray());
    JsonArray out = new JsonArray();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      for (int j = 0; j < resources.size(); j++) {
        JsonObject r = resources.getJsonObject(j);
        if (n.getBoolean("managed", false)
            && kind(r).equals(kind(n))
            && namespaced(r).equals(namespaced(n))
            && r.getString("message", "").contains("pruning")) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private void print(JsonObject tree) {
    JsonArray nodes = tree.getJsonArray("nodes", new JsonArray());
    if (nodes.isEmpty()) {
      System.out.println(
          orphaned
              ? "no orphaned objects in " + name
              : "no resources reported for "
                  + name
                  + " yet: its agent reports them with its status");
      return;
    }
    Map<String, JsonObject> byUid = new LinkedHashMap<>();
    Map<String, List<JsonObject>> children = new LinkedHashMap<>();
    List<JsonObject> roots = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      if (!n.getString("uid", "").isEmpty()) {
        byUid.put(n.getString("uid"), n);
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      JsonArray parents = n.getJsonArray("parentUids", new JsonArray());
      String parent = parents.isEmpty() ? null : parents.getString(0);
      if (parent != null && byUid.containsKey(parent)) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(n);
      } else {
        roots.add(n);
      }
    }
    Table table = new Table("KIND", "NAMESPACE", "NAME", "HEALTH", "SYNC", "MESSAGE");
    for (JsonObject root : roots) {
      row(table, root, "", "", children);
    }
    table.print(System.out);
    int omitted = tree.getInteger("omitted", 0);
    if (omitted > 0) {
      System.out.println("(" + omitted + " more children not reported: the tree is capped)");
    }
  }

  /** One node and, indented under it, its children: ├─ and └─ as argocd app resources --tree. */
  private static void row(
      Table table,
      JsonObject n,
      String indent,
      String branch,
      Map<String, List<JsonObject>> children) {
    table.row(
        indent + branch + kind(n),
        n.getString("namespace", ""),
        n.getString("name"),
        n.getString("health", ""),
        n.getString("sync", ""),
        n.getString("healthMessage", ""));
    List<JsonObject> under = children.getOrDefault(n.getString("uid", ""), List.of());
    String next = indent + (branch.isEmpty() ? "" : branch.startsWith("└") ? "  " : "│ ");
    for (int i = 0; i < under.size(); i++) {
      row(table, under.get(i), next, i == under.size() - 1 ? "└─" : "├─", children);
    }
  }

  /** "apps/Deployment", or "Pod" for the core group. */
  static String kind(JsonObject o) {
    String group = o.getString("group", "");
    return (group.isEmpty() ? "" : group + "/") + o.getString("kind", "");
  }

  /** "namespace/name", or "name" for a cluster-scoped object. */
  static String namespaced(JsonObject o) {
    String ns = o.getString("namespace", "");
    return (ns.isEmpty() ? "" : ns + "/") + o.getString("name", "");
  }
}
