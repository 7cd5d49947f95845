package dev.flotilla.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What belongs to one Application in this cluster: the objects it manages (rendered from Git, or
 * tracked as its own) and their children found through ownerReferences — a Deployment's ReplicaSets
 * and their Pods, a StatefulSet's or DaemonSet's Pods, a CronJob's Jobs and their Pods, a Service's
 * EndpointSlices. This is both the resource tree reported with the status and the scope of the
 * resource proxy: an object not found here is not the Application's, and is answered as missing.
 * Reads block (Kubernetes API): call on a worker.
 */
public final class ApplicationObjects {

  /** Children are looked for this many generations down (CronJob → Job → Pod is the deepest). */
  static final int MAX_DEPTH = 3;

  private static final ObjectType REPLICA_SET = ObjectType.of("apps/v1", "ReplicaSet");
  private static final ObjectType POD = ObjectType.of("v1", "Pod");
  private static final ObjectType JOB = ObjectType.of("batch/v1", "Job");
  private static final ObjectType ENDPOINT_SLICE =
      ObjectType.of("discovery.k8s.io/v1", "EndpointSlice");

  /** By "group/Kind" of an owner: the kinds its children may be. */
  private static final Map<String, List<ObjectType>> CHILD_TYPES =
      Map.of(
          "apps/Deployment", List.of(REPLICA_SET),
          "apps/ReplicaSet", List.of(POD),
          "apps/StatefulSet", List.of(POD),
          "apps/DaemonSet", List.of(POD),
          "batch/CronJob", List.of(JOB),
          "batch/Job", List.of(POD),
          "/Service", List.of(ENDPOINT_SLICE));

  /** One object of the tree; {@code live} is null for a managed object missing from the cluster. */
  public record Node(ObjectKey key, ObjectNode live, boolean managed, List<String> parentUids) {
    public String uid() {
      return live == null ? "" : live.path("metadata").path("uid").asText("");
    }
  }

  /**
   * The tree, managed objects first, then children generation by generation.
   *
   * @param omitted children left out to stay within the node cap
   */
  public record Tree(List<Node> nodes, int omitted) {

    /**
     * The node with this group, kind, namespace and name (version ignored). An empty namespace
     * matches any, as long as only one object of the tree has that kind and name.
     *
     * @throws IllegalArgumentException when the namespace is empty and several objects match
     */
    public Optional<Node> find(String group, String kind, String namespace, String name) {
      List<Node> found =
          nodes.stream()
              .filter(
                  n ->
                      n.key().group().equals(group)
                          && n.key().kind().equals(kind)
                          && n.key().name().equals(name)
                          && (namespace.isEmpty() || n.key().namespace().equals(namespace)))
              .toList();
      if (found.size() > 1) {
        throw new IllegalArgumentException(
            "several objects "
                + kind
                + " "
                + name
                + " in namespaces "
                + found.stream().map(n -> n.key().namespace()).toList()
                + ": name the namespace");
      }
      return found.stream().findFirst();
    }

    /** The Pods under {@code node} (itself, when it is one), in tree order. */
    public List<Node> pods(Node node) {
      List<Node> out = new ArrayList<>();
      Set<String> under = new LinkedHashSet<>();
      under.add(node.uid());
      for (Node n : nodes) {
        boolean self = n == node;
        boolean child = n.parentUids().stream().anyMatch(under::contains);
        if (self || child) {
          under.add(n.uid());
          if (n.key().group().isEmpty() && "Pod".equals(n.key().kind()) && n.live() != null) {
            out.add(n);
          }
        }
      }
      return out;
    }
  }

  private final ApplicationReconciler reconciler;

  public ApplicationObjects(ApplicationReconciler reconciler) {
    this.reconciler = reconciler;
  }

  /**
   * Reads the tree of {@code application}, at most {@code maxNodes} nodes (managed objects are
   * always listed; children beyond the cap are counted in {@link Tree#omitted}).
   *
   * @param cached managed objects from the watch cache (a reconcile's view, a moment stale); false
   *     reads everything from the API server, as the resource proxy must: a person asking what is
   *     live right after an edit must see the edit
   * @throws KubernetesClientException when the cluster cannot be read
   */
  public Tree read(String application, int maxNodes, boolean cached) {
    Map<ObjectKey, Node> nodes = new LinkedHashMap<>();
    Optional<DesiredState> desired = reconciler.desiredState(application);
    if (desired.isPresent()) {
      Map<ObjectKey, ObjectNode> live =
          reconciler.readLive(desired.get().objects().keySet(), cached);
      for (ObjectKey key : desired.get().objects().keySet()) {
        nodes.put(key, new Node(key, live.get(key), true, List.of()));
      }
    }
    for (ObjectNode owned : reconciler.ownedObjects(application, cached)) {
      ObjectKey key = ObjectKey.of(owned);
      nodes.put(key, new Node(key, owned, true, List.of()));
    }
    int omitted = 0;
    List<Node> generation = new ArrayList<>(nodes.values());
    for (int depth = 0; depth < MAX_DEPTH && !generation.isEmpty(); depth++) {
      List<Node> children = new ArrayList<>();
      Map<String, Node> byUid = new HashMap<>();
      Map<ObjectType, Set<String>> wanted = new LinkedHashMap<>();
      for (Node n : generation) {
        List<ObjectType> types = CHILD_TYPES.get(n.key().group() + "/" + n.key().kind());
        if (n.live() == null || types == null || n.uid().isEmpty()) {
          continue;
        }
        byUid.put(n.uid(), n);
        types.forEach(
            t -> wanted.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(n.key().namespace()));
      }
      for (Map.Entry<ObjectType, Set<String>> e : wanted.entrySet()) {
        for (String namespace : e.getValue()) {
          for (ObjectNode candidate : list(e.getKey(), namespace)) {
            List<String> parents = owners(candidate, byUid.keySet());
            ObjectKey key = ObjectKey.of(candidate);
            if (parents.isEmpty() || nodes.containsKey(key)) {
              continue;
            }
            if (nodes.size() >= maxNodes) {
              omitted++;
              continue;
            }
            Node child = new Node(key, candidate, false, parents);
            nodes.put(key, child);
            children.add(child);
          }
        }
      }
      generation = children;
    }
    return new Tree(List.copyOf(nodes.values()), omitted);
  }

  /** The uids among {@code candidates} that {@code object} names as its owners. */
  private static List<String> owners(JsonNode object, Set<String> candidates) {
    List<String> out = new ArrayList<>();
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      String uid = ref.path("uid").asText("");
      if (candidates.contains(uid)) {
        out.add(uid);
      }
    }
    return out;
  }

  private List<ObjectNode> list(ObjectType type, String namespace) {
    var applier = reconciler.applier();
    try {
      var items =
          reconciler
              .client()
              .genericKubernetesResources(applier.types().context(type))
              .inNamespace(namespace)
              .list()
              .getItems();
      List<ObjectNode> out = new ArrayList<>(items.size());
      for (var item : items) {
        ObjectNode node = applier.toJson(item);
        if (!node.has("apiVersion")) {
          node.put("apiVersion", type.apiVersion());
        }
        if (!node.has("kind")) {
          node.put("kind", type.kind());
        }
        out.add(node);
      }
      return out;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of(); // the kind is not served by this cluster
      }
      throw e;
    }
  }
}
