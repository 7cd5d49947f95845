package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Deployment controller: one ReplicaSet per pod template ({@code NAME-<pod-template-hash>},
 * revision annotation, owner reference), rolled over with RollingUpdate (maxSurge / maxUnavailable)
 * or Recreate, old ReplicaSets kept up to {@code revisionHistoryLimit}, and the status the real
 * controller writes ({@link DeploymentStatus}). A paused Deployment only scales.
 */
final class DeploymentController implements Reconciler {

  static final String NAME = "deployment";
  static final String HASH_LABEL = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
  static final String MAX = "deployment.kubernetes.io/max-replicas";
  private static final String COMPONENT = "deployment-controller";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final EventRecorder events;
  private final Clock clock;

  DeploymentController(StoreWriter writer, ClusterTypes types, EventRecorder events, Clock clock) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode d = store.get(types.deployments(), namespace, name).orElse(null);
    if (d == null || Meta.deleting(d)) {
      return null;
    }
    String template = PodTemplates.canonical(d.path("spec").path("template"), HASH_LABEL);
    List<ObjectNode> owned = owned(d);
    ObjectNode newRs = findNew(owned, template);
    List<ObjectNode> old = new ArrayList<>(owned);
    old.remove(newRs);
    boolean paused = d.path("spec").path("paused").asBoolean(false);
    int desired = Meta.replicas(d);
    RolloutMath.Limits limits = RolloutMath.limits(d);
    if (paused) {
      if (newRs != null && old.stream().allMatch(rs -> Meta.replicas(rs) == 0)) {
        scale(d, newRs, desired, limits);
      }
    } else {
      if (newRs == null) {
        newRs = createNew(d, old, template, desired, limits);
      } else {
        newRs = keepNewestRevision(newRs, old);
      }
      annotateRevision(d, revision(newRs));
      if ("Recreate".equals(d.path("spec").path("strategy").path("type").asText())) {
        recreate(d, newRs, old, desired);
      } else {
        rollNew(d, newRs, old, desired, limits);
        old = owned(d);
        newRs = findNew(old, template);
        old.remove(newRs);
        rollOld(d, newRs, old, desired, limits);
      }
      cleanUp(d, owned(d), template);
    }
    List<ObjectNode> after = owned(d);
    return DeploymentStatus.write(writer, types, d, findNew(after, template), after, clock);
  }

  private List<ObjectNode> owned(ObjectNode d) {
    return new ArrayList<>(
        store.list(types.replicaSets(), Meta.namespace(d), PodTemplates.ownedBy(d)));
  }

  private static ObjectNode findNew(List<ObjectNode> owned, String template) {
    return owned.stream()
        .filter(
            rs ->
                template.equals(
                    PodTemplates.canonical(rs.path("spec").path("template"), HASH_LABEL)))
        .findFirst()
        .orElse(null);
  }

  static long revision(JsonNode rs) {
    try {
      return Long.parseLong(rs.path("metadata").path("annotations").path(REVISION).asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long maxRevision(List<ObjectNode> replicaSets) {
    return replicaSets.stream().mapToLong(DeploymentController::revision).max().orElse(0);
  }

  private ObjectNode createNew(
      ObjectNode d, List<ObjectNode> old, String template, int desired, RolloutMath.Limits limits) {
    boolean recreate = "Recreate".equals(d.path("spec").path("strategy").path("type").asText());
    int oldReplicas = old.stream().mapToInt(Meta::replicas).sum();
    int replicas;
    if (oldReplicas == 0
        && old.stream().allMatch(rs -> rs.path("status").path("replicas").asInt() == 0)) {
      replicas = desired;
    } else if (recreate) {
      replicas = 0;
    } else {
      replicas = RolloutMath.newReplicaSetReplicas(desired, limits.surge(), 0, oldReplicas);
    }
    int collisions = d.path("status").path("collisionCount").asInt(0);
    for (int attempt = 0; attempt < StoreWriter.MAX_ATTEMPTS; attempt++) {
      String hash = PodTemplates.hash(collisions == 0 ? template : template + collisions);
      ObjectNode rs = replicaSet(d, hash, replicas, maxRevision(old) + 1, limits);
      try {
        ObjectNode created = store.create(types.replicaSets(), rs);
        if (replicas > 0) {
          events.normal(
              d,
              COMPONENT,
              "ScalingReplicaSet",
              "Scaled up replica set " + Meta.name(created) + " from 0 to " + replicas);
        }
        return created;
      } catch (StoreException.AlreadyExists e) {
        ObjectNode existing =
            store.get(types.replicaSets(), Meta.namespace(d), Meta.name(rs)).orElse(null);
        if (existing != null
            && Meta.controlledBy(existing, d)
            && template.equals(
                PodTemplates.canonical(existing.path("spec").path("template"), HASH_LABEL))) {
          return existing;
        }
        collisions++;
        int count = collisions;
        writer.modify(
            types.deployments(),
            Meta.namespace(d),
            Meta.name(d),
            true,
            o -> {
              Meta.obj(o, "status").put("collisionCount", count);
              return o;
            });
      }
    }
    throw new IllegalStateException(
        "deployment " + Meta.namespace(d) + "/" + Meta.name(d) + ": no free ReplicaSet name");
  }

  private static ObjectNode replicaSet(
      ObjectNode d, String hash, int replicas, long revision, RolloutMath.Limits limits) {
    ObjectNode rs = Meta.JSON.objectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    ObjectNode meta = Meta.metadata(rs);
    meta.put("name", Meta.name(d) + "-" + hash).put("namespace", Meta.namespace(d));
    ObjectNode template = d.path("spec").path("template").deepCopy();
    ObjectNode labels = Meta.obj(Meta.metadata(template), "labels");
    labels.put(HASH_LABEL, hash);
    meta.set("labels", labels.deepCopy());
    int desired = Meta.replicas(d);
    meta.putObject("annotations")
        .put(DESIRED, String.valueOf(desired))
        .put(MAX, String.valueOf(desired + limits.surge()))
        .put(REVISION, String.valueOf(revision));
    meta.set("ownerReferences", Meta.ownerReferences(d, "apps/v1", "Deployment"));
    ObjectNode spec = rs.putObject("spec").put("replicas", replicas);
    if (d.path("spec").has("minReadySeconds")) {
      spec.set("minReadySeconds", d.path("spec").get("minReadySeconds"));
    }
    ObjectNode selector =
        d.path("spec").path("selector").isObject()
            ? (ObjectNode) d.path("spec").path("selector").deepCopy()
            : Meta.JSON.objectNode();
    Meta.obj(selector, "matchLabels").put(HASH_LABEL, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    return rs;
  }

  /** The Deployment carries its current revision too ({@code kubectl rollout history} reads it). */
  private void annotateRevision(ObjectNode d, long revision) {
    String value = String.valueOf(revision);
    writer.modify(
        types.deployments(),
        Meta.namespace(d),
        Meta.name(d),
        false,
        o -> {
          if (value.equals(o.path("metadata").path("annotations").path(REVISION).asText())) {
            return null;
          }
          Meta.obj(Meta.metadata(o), "annotations").put(REVISION, value);
          return o;
        });
  }

  /** A rollback to an old template makes its ReplicaSet the newest revision again. */
  private ObjectNode keepNewestRevision(ObjectNode newRs, List<ObjectNode> old) {
    long max = maxRevision(old);
    if (revision(newRs) > max) {
      return newRs;
    }
    ObjectNode updated =
        writer.modify(
            types.replicaSets(),
            Meta.namespace(newRs),
            Meta.name(newRs),
            false,
            rs -> {
              Meta.obj(Meta.metadata(rs), "annotations").put(REVISION, String.valueOf(max + 1));
              return rs;
            });
    return updated == null ? newRs : updated;
  }

  private void recreate(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, int desired) {
    boolean oldRunning = false;
    for (ObjectNode rs : old) {
      if (Meta.replicas(rs) > 0) {
        scale(d, rs, 0, RolloutMath.limits(d));
      }
      oldRunning |= rs.path("status").path("replicas").asInt() > 0;
    }
    if (!oldRunning && Meta.replicas(newRs) != desired) {
      scale(d, newRs, desired, RolloutMath.limits(d));
    }
  }

  private void rollNew(
      ObjectNode d,
      ObjectNode newRs,
      List<ObjectNode> old,
      int desired,
      RolloutMath.Limits limits) {
    int total = Meta.replicas(newRs) + old.stream().mapToInt(Meta::replicas).sum();
    int target =
        RolloutMath.newReplicaSetReplicas(desired, limits.surge(), Meta.replicas(newRs), total);
    if (target != Meta.replicas(newRs)) {
      scale(d, newRs, target, limits);
    }
  }

  private void rollOld(
      ObjectNode d,
      ObjectNode newRs,
      List<ObjectNode> old,
      int desired,
      RolloutMath.Limits limits) {
    if (newRs == null || old.stream().mapToInt(Meta::replicas).sum() == 0) {
      return;
    }
    old.sort(Comparator.comparingLong(DeploymentController::revision));
    int all = Meta.replicas(newRs) + old.stream().mapToInt(Meta::replicas).sum();
    int budget =
        RolloutMath.maxScaledDown(
            desired, limits.unavailable(), all, Meta.replicas(newRs), available(newRs));
    int[] replicas = old.stream().mapToInt(Meta::replicas).toArray();
    for (int i = 0; i < old.size() && budget > 0; i++) {
      int unhealthy = Math.max(0, replicas[i] - available(old.get(i)));
      int n = Math.min(unhealthy, budget);
      replicas[i] -= n;
      budget -= n;
    }
    int availableTotal =
        available(newRs) + old.stream().mapToInt(DeploymentController::available).sum();
    int more = RolloutMath.availableScaleDown(desired, limits.unavailable(), availableTotal);
    for (int i = 0; i < old.size() && more > 0; i++) {
      int n = Math.min(replicas[i], more);
      replicas[i] -= n;
      more -= n;
    }
    for (int i = 0; i < old.size(); i++) {
      if (replicas[i] != Meta.replicas(old.get(i))) {
        scale(d, old.get(i), replicas[i], limits);
      }
    }
  }

  private static int available(JsonNode rs) {
    return rs.path("status").path("availableReplicas").asInt(0);
  }

  private void scale(ObjectNode d, ObjectNode rs, int replicas, RolloutMath.Limits limits) {
    int from = Meta.replicas(rs);
    int desired = Meta.replicas(d);
    ObjectNode scaled =
        writer.modify(
            types.replicaSets(),
            Meta.namespace(rs),
            Meta.name(rs),
            false,
            r -> {
              Meta.obj(r, "spec").put("replicas", replicas);
              Meta.obj(Meta.metadata(r), "annotations")
                  .put(DESIRED, String.valueOf(desired))
                  .put(MAX, String.valueOf(desired + limits.surge()));
              return r;
            });
    if (scaled != null && from != replicas) {
      events.normal(
          d,
          COMPONENT,
          "ScalingReplicaSet",
          "Scaled "
              + (replicas > from ? "up" : "down")
              + " replica set "
              + Meta.name(rs)
              + " from "
              + from
              + " to "
              + replicas);
    }
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond {@code revisionHistoryLimit} (10). */
  private void cleanUp(ObjectNode d, List<ObjectNode> owned, String template) {
    int limit = d.path("spec").path("revisionHistoryLimit").asInt(10);
    List<ObjectNode> idle =
        owned.stream()
            .filter(
                rs ->
                    !template.equals(
                        PodTemplates.canonical(rs.path("spec").path("template"), HASH_LABEL)))
            .filter(rs -> Meta.replicas(rs) == 0 && rs.path("status").path("replicas").asInt() == 0)
            .sorted(Comparator.comparingLong(DeploymentController::revision))
            .toList();
    for (int i = 0; i < idle.size() - limit; i++) {
      writer.delete(types.replicaSets(), Meta.namespace(d), Meta.name(idle.get(i)));
    }
  }
}
