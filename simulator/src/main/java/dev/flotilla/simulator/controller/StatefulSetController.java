package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * The StatefulSet controller: Pods {@code NAME-0..N-1} created in order (each once the previous is
 * Running and Ready, unless {@code podManagementPolicy: Parallel}), removed from the highest
 * ordinal down, and replaced one at a time from the highest ordinal when the template changes
 * (RollingUpdate with partition; OnDelete leaves them). Revisions are named {@code NAME-<hash>}
 * like the real controller-revision-hash; no ControllerRevision objects and no
 * PersistentVolumeClaims from volumeClaimTemplates are simulated.
 */
final class StatefulSetController implements Reconciler {

  static final String NAME = "statefulset";
  static final String REVISION_LABEL = "controller-revision-hash";
  private static final String COMPONENT = "statefulset-controller";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final EventRecorder events;

  StatefulSetController(StoreWriter writer, ClusterTypes types, EventRecorder events) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.events = events;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode sts = store.get(types.statefulSets(), namespace, name).orElse(null);
    if (sts == null || Meta.deleting(sts)) {
      return null;
    }
    String revision =
        name
            + "-"
            + PodTemplates.hash(
                PodTemplates.canonical(sts.path("spec").path("template"), REVISION_LABEL));
    act(sts, revision);
    writeStatus(sts, byOrdinal(sts), revision);
    return null;
  }

  private TreeMap<Integer, ObjectNode> byOrdinal(ObjectNode sts) {
    String prefix = Meta.name(sts) + "-";
    TreeMap<Integer, ObjectNode> pods = new TreeMap<>();
    for (ObjectNode pod :
        store.list(types.pods(), Meta.namespace(sts), PodTemplates.ownedBy(sts))) {
      String podName = Meta.name(pod);
      if (!Meta.deleting(pod) && podName.startsWith(prefix)) {
        try {
          pods.put(Integer.parseInt(podName.substring(prefix.length())), pod);
        } catch (NumberFormatException e) {
          // Not one of ours by name: left alone.
        }
      }
    }
    return pods;
  }

  /** At most one step per reconcile in OrderedReady, as the real controller waits between pods. */
  private void act(ObjectNode sts, String revision) {
    TreeMap<Integer, ObjectNode> pods = byOrdinal(sts);
    int replicas = Meta.replicas(sts);
    boolean parallel = "Parallel".equals(sts.path("spec").path("podManagementPolicy").asText());
    for (ObjectNode pod : pods.values()) {
      if ("Failed".equals(pod.path("status").path("phase").asText())) {
        delete(sts, pod);
        return;
      }
    }
    for (int i = 0; i < replicas; i++) {
      ObjectNode pod = pods.get(i);
      if (pod == null) {
        create(sts, i, revision);
        if (!parallel) {
          return;
        }
      } else if (!parallel && !healthy(pod)) {
        return;
      }
    }
    List<Integer> extra = pods.descendingKeySet().stream().filter(i -> i >= replicas).toList();
    for (int ordinal : extra) {
      delete(sts, pods.get(ordinal));
      if (!parallel) {
        return;
      }
    }
    if (!extra.isEmpty()
        || "OnDelete".equals(sts.path("spec").path("updateStrategy").path("type").asText())
        || !pods.values().stream().allMatch(StatefulSetController::healthy)) {
      return;
    }
    int partition =
        sts.path("spec").path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);
    for (int ordinal : pods.descendingKeySet()) {
      ObjectNode pod = pods.get(ordinal);
      if (ordinal >= partition && !revision.equals(Meta.labels(pod).get(REVISION_LABEL))) {
        delete(sts, pod);
        return;
      }
    }
  }

  private static boolean healthy(JsonNode pod) {
    return "Running".equals(pod.path("status").path("phase").asText()) && PodTemplates.ready(pod);
  }

  private void create(ObjectNode sts, int ordinal, String revision) {
    String podName = Meta.name(sts) + "-" + ordinal;
    ObjectNode pod =
        PodTemplates.pod(sts.path("spec").path("template"), sts, "apps/v1", "StatefulSet");
    ObjectNode meta = Meta.metadata(pod).put("name", podName);
    Meta.obj(meta, "labels")
        .put(REVISION_LABEL, revision)
        .put("statefulset.kubernetes.io/pod-name", podName)
        .put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    ObjectNode spec = Meta.obj(pod, "spec").put("hostname", podName);
    String service = sts.path("spec").path("serviceName").asText("");
    if (!service.isEmpty()) {
      spec.put("subdomain", service);
    }
    try {
      store.create(types.pods(), pod);
      events.normal(
          sts,
          COMPONENT,
          "SuccessfulCreate",
          "create Pod " + podName + " in StatefulSet " + Meta.name(sts) + " successful");
    } catch (dev.flotilla.simulator.store.StoreException.AlreadyExists e) {
      // A pod of that name that we do not own yet: the real controller waits too.
    }
  }

  private void delete(ObjectNode sts, ObjectNode pod) {
    if (writer.delete(types.pods(), Meta.namespace(pod), Meta.name(pod))) {
      events.normal(
          sts,
          COMPONENT,
          "SuccessfulDelete",
          "delete Pod " + Meta.name(pod) + " in StatefulSet " + Meta.name(sts) + " successful");
    }
  }

  private void writeStatus(ObjectNode sts, TreeMap<Integer, ObjectNode> pods, String revision) {
    int replicas = pods.size();
    long ready = pods.values().stream().filter(PodTemplates::ready).count();
    long updated =
        pods.values().stream()
            .filter(p -> revision.equals(Meta.labels(p).get(REVISION_LABEL)))
            .count();
    writer.modify(
        types.statefulSets(),
        Meta.namespace(sts),
        Meta.name(sts),
        true,
        s -> {
          ObjectNode status = Meta.obj(s, "status");
          String current = status.path("currentRevision").asText(revision);
          if (updated == Meta.replicas(s) && updated == replicas && ready == replicas) {
            current = revision;
          }
          String currentRevision = current;
          long atCurrent =
              pods.values().stream()
                  .filter(p -> currentRevision.equals(Meta.labels(p).get(REVISION_LABEL)))
                  .count();
          status.put("observedGeneration", Meta.generation(s));
          status.put("replicas", replicas);
          Meta.putCount(status, "readyReplicas", ready);
          Meta.putCount(status, "currentReplicas", atCurrent);
          Meta.putCount(status, "updatedReplicas", updated);
          Meta.putCount(status, "availableReplicas", ready);
          status.put("currentRevision", current);
          status.put("updateRevision", revision);
          status.put("collisionCount", 0);
          return s;
        });
  }
}
