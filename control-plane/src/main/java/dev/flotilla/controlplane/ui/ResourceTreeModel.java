package dev.flotilla.controlplane.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Application's resource tree for its detail page, built from the tree its agent reports with
 * the status (no round trip to the agent): the Application's objects grouped by kind, each with the
 * objects it owns below it. Linear in the number of objects, so that a tree of thousands renders at
 * once; big groups and big families start collapsed.
 *
 * @param groups the top level: one group per kind, kinds in name order
 * @param total how many objects the tree shows
 * @param omitted how many children the agent left out (its cap)
 * @param reported whether the agent has reported a tree (else it is the status's list of objects)
 */
public record ResourceTreeModel(List<Group> groups, int total, int omitted, boolean reported) {

  /** Groups and families up to this size start open; bigger ones start closed with a count. */
  public static final int OPEN_UP_TO = 50;

  /** The objects of one kind at the top of the tree. */
  public record Group(String kind, List<ResourceTreeNode> nodes) {
    public boolean open() {
      return nodes.size() <= OPEN_UP_TO;
    }
  }

  private static final Comparator<ResourceTreeNode> ORDER =
      Comparator.comparing(ResourceTreeNode::kind)
          .thenComparing(ResourceTreeNode::namespace)
          .thenComparing(ResourceTreeNode::name);

  public static ResourceTreeModel empty() {
    return new ResourceTreeModel(List.of(), 0, 0, false);
  }

  /**
   * Builds the tree from the reported {@code nodes} (the resource-tree API's items); when there are
   * none yet, from the status's {@code resources} (the Application's own objects, no children).
   */
  public static ResourceTreeModel of(JsonArray nodes, int omitted, JsonArray resources) {
    if (nodes != null && !nodes.isEmpty()) {
      return tree(nodes, omitted);
    }
    List<ResourceTreeNode> top = new ArrayList<>();
    if (resources != null) {
      for (Object o : resources) {
        if (o instanceof JsonObject r) {
          top.add(node(r, true, false));
        }
      }
    }
    return new ResourceTreeModel(grouped(top), top.size(), 0, false);
  }

  private static ResourceTreeModel tree(JsonArray nodes, int omitted) {
    List<JsonObject> json = new ArrayList<>(nodes.size());
    for (Object o : nodes) {
      if (o instanceof JsonObject n) {
        json.add(n);
      }
    }
    int size = json.size();
    Map<String, Integer> byUid = new HashMap<>();
    for (int i = 0; i < size; i++) {
      String uid = json.get(i).getString("uid", "");
      if (!uid.isEmpty()) {
        byUid.putIfAbsent(uid, i);
      }
    }
    // Each child under its first owner in the tree; the Application's own objects and the
    // children whose owners are not in it stay at the top.
    int[] owner = new int[size];
    boolean[] orphan = new boolean[size];
    List<List<Integer>> owned = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      owned.add(new ArrayList<>());
    }
    for (int i = 0; i < size; i++) {
      JsonObject n = json.get(i);
      JsonArray owners = n.getJsonArray("parentUids", new JsonArray());
      owner[i] = n.getBoolean("managed", false) ? -1 : firstOwner(owners, byUid, i);
      orphan[i] = owner[i] < 0 && !n.getBoolean("managed", false) && !owners.isEmpty();
      if (owner[i] >= 0) {
        owned.get(owner[i]).add(i);
      }
    }
    // Only what hangs from the top is shown: owners that form a loop would hide their objects,
    // so the first of such a loop comes to the top as an orphan.
    boolean[] seen = new boolean[size];
    for (int i = 0; i < size; i++) {
      if (owner[i] < 0) {
        reach(i, owned, seen);
      }
    }
    for (int i = 0; i < size; i++) {
      if (!seen[i]) {
        owned.get(owner[i]).remove(Integer.valueOf(i));
        owner[i] = -1;
        orphan[i] = true;
        reach(i, owned, seen);
      }
    }
    List<ResourceTreeNode> made = new ArrayList<>(size);
    List<ResourceTreeNode> top = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      JsonObject n = json.get(i);
      ResourceTreeNode node = node(n, n.getBoolean("managed", false), orphan[i]);
      made.add(node);
      if (owner[i] < 0) {
        top.add(node);
      }
    }
    for (int i = 0; i < size; i++) {
      List<ResourceTreeNode> children = made.get(i).children();
      owned.get(i).forEach(c -> children.add(made.get(c)));
      children.sort(ORDER);
    }
    return new ResourceTreeModel(grouped(top), size, omitted, true);
  }

  private static int firstOwner(JsonArray owners, Map<String, Integer> byUid, int self) {
    for (Object uid : owners) {
      Integer at = uid instanceof String s ? byUid.get(s) : null;
      if (at != null && at != self) {
        return at;
      }
    }
    return -1;
  }

  /** Marks everything below {@code from} through ownership, each object once. */
  private static void reach(int from, List<List<Integer>> owned, boolean[] seen) {
    Deque<Integer> todo = new ArrayDeque<>();
    seen[from] = true;
    todo.push(from);
    while (!todo.isEmpty()) {
      for (int child : owned.get(todo.pop())) {
        if (!seen[child]) {
          seen[child] = true;
          todo.push(child);
        }
      }
    }
  }

  private static ResourceTreeNode node(JsonObject n, boolean managed, boolean orphan) {
    return ResourceTreeNode.of(
        n.getString("group", ""),
        n.getString("kind", ""),
        n.getString("namespace", ""),
        n.getString("name", ""),
        n.getString("health", "Unknown"),
        n.getString("healthMessage", ""),
        managed ? n.getString("sync", "Unknown") : "",
        managed,
        orphan);
  }

  private static List<Group> grouped(List<ResourceTreeNode> top) {
    Map<String, List<ResourceTreeNode>> byKind = new TreeMap<>();
    for (ResourceTreeNode n : top) {
      byKind.computeIfAbsent(n.kind(), k -> new ArrayList<>()).add(n);
    }
    List<Group> groups = new ArrayList<>();
    byKind.forEach(
        (kind, nodes) -> {
          nodes.sort(ORDER);
          groups.add(new Group(kind, List.copyOf(nodes)));
        });
    return List.copyOf(groups);
  }
}
