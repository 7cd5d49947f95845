package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler and the kubelets of the simulated nodes: binds a new Pod, gives it an IP, and moves
 * it from Pending to Running and Ready once the ready delay has passed. An image containing {@code
 * does-not-exist} never pulls (ErrImagePull, then ImagePullBackOff); one containing {@code
 * crashloop} crashes (CrashLoopBackOff with a growing restartCount, or Failed for a Job's pod that
 * must not restart); a Job's pod runs for one more delay and then Succeeds.
 */
final class Kubelet implements Reconciler {

  static final String NAME = "kubelet";

  private record Started(String uid, Instant at) {}

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final Scheduler scheduler;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration delay;
  private final Map<String, Started> started = new HashMap<>();
  private final Map<String, Integer> nextIp = new HashMap<>();

  Kubelet(
      StoreWriter writer,
      ClusterTypes types,
      Scheduler scheduler,
      EventRecorder events,
      Clock clock,
      Duration delay) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.scheduler = scheduler;
    this.events = events;
    this.clock = clock;
    this.delay = delay.isZero() ? Duration.ofMillis(1) : delay;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    String key = namespace + "/" + name;
    ObjectNode pod = store.get(types.pods(), namespace, name).orElse(null);
    if (pod == null) {
      started.remove(key);
      return null;
    }
    String phase = pod.path("status").path("phase").asText("");
    if (Meta.deleting(pod) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      return null;
    }
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
      pod = scheduler.schedule(pod);
      if (pod == null) {
        return null;
      }
    }
    Started since = started.get(key);
    if (since == null || !since.uid().equals(Meta.uid(pod))) {
      if (pod.path("status").hasNonNull("hostIP")) {
        // Seen before this manager started: carry on from the recorded start time.
        Instant at = Meta.parseTime(pod.path("status").path("startTime"));
        since = new Started(Meta.uid(pod), at == null ? clock.instant() : at);
      } else {
        since = new Started(Meta.uid(pod), clock.instant());
        ObjectNode pending = writeStart(pod, since.at());
        if (pending == null) {
          return null;
        }
        for (JsonNode c : pending.path("spec").path("containers")) {
          events.container(
              pending,
              c.path("name").asText(),
              EventRecorder.NORMAL,
              "Pulling",
              "Pulling image \"" + c.path("image").asText() + "\"");
        }
      }
      started.put(key, since);
    }
    return advance(pod, since.at());
  }

  private ObjectNode writeStart(ObjectNode pod, Instant now) {
    String nodeName = pod.path("spec").path("nodeName").asText();
    JsonNode node = store.get(types.nodes(), "", nodeName).orElse(null);
    String hostIp = node == null ? "" : Nodes.internalIp(node);
    String podIp = pod.path("spec").path("hostNetwork").asBoolean() ? hostIp : podIp(node);
    return writer.modify(
        types.pods(),
        Meta.namespace(pod),
        Meta.name(pod),
        true,
        p -> {
          ObjectNode status = Meta.obj(p, "status");
          status.removeAll();
          status.put("phase", "Pending");
          PodStatuses.setConditions(p, now, false, false, "ContainersNotReady");
          status.put("hostIP", hostIp);
          status.putArray("hostIPs").addObject().put("ip", hostIp);
          status.put("podIP", podIp);
          status.putArray("podIPs").addObject().put("ip", podIp);
          status.put("startTime", Meta.time(now));
          status.put("qosClass", PodStatuses.qosClass(p));
          ArrayNode statuses = status.putArray("containerStatuses");
          for (JsonNode c : p.path("spec").path("containers")) {
            ObjectNode cs = PodStatuses.containerBase(c);
            cs.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
            statuses.add(cs);
          }
          return p;
        });
  }

  private String podIp(JsonNode node) {
    String cidr = node == null ? "10.244.0.0/24" : node.path("spec").path("podCIDR").asText();
    String prefix = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    int n = nextIp.merge(prefix, 1, (a, b) -> a >= 253 ? 1 : a + 1);
    return prefix + (n + 1);
  }

  /** Writes the status the pod has reached after {@code elapsed}; returns when it next changes. */
  private Duration advance(ObjectNode pod, Instant since) {
    Instant now = clock.instant();
    long elapsed = Math.max(0, Duration.between(since, now).toMillis());
    PodStatuses.Progress progress =
        PodStatuses.progress(pod, since, elapsed, delay.toMillis(), now);
    ObjectNode written =
        writer.modify(
            types.pods(),
            Meta.namespace(pod),
            Meta.name(pod),
            true,
            p -> {
              if (Meta.deleting(p) || !Meta.uid(p).equals(Meta.uid(pod))) {
                return null;
              }
              PodStatuses.apply(p, progress, now);
              return p;
            });
    if (written != null) {
      recordTransitions(pod, written);
    }
    return progress.nextChangeMillis() < 0 ? null : Duration.ofMillis(progress.nextChangeMillis());
  }

  private void recordTransitions(JsonNode before, ObjectNode after) {
    Map<String, JsonNode> old = new HashMap<>();
    for (JsonNode cs : before.path("status").path("containerStatuses")) {
      old.put(cs.path("name").asText(), cs);
    }
    List<String[]> todo = new ArrayList<>();
    for (JsonNode cs : after.path("status").path("containerStatuses")) {
      String name = cs.path("name").asText();
      JsonNode was = old.getOrDefault(name, Meta.JSON.objectNode());
      String from = PodStatuses.stateKey(was);
      String to = PodStatuses.stateKey(cs);
      String image = imageOf(after, name);
      boolean wasCreating = from.equals("waiting:ContainerCreating") || from.isEmpty();
      if (from.equals(to) && was.path("restartCount").asInt() == cs.path("restartCount").asInt()) {
        continue;
      }
      if (wasCreating
          && (to.startsWith("running")
              || to.startsWith("terminated")
              || to.contains("CrashLoop"))) {
        todo.add(new String[] {name, EventRecorder.NORMAL, "Pulled", pulled(image)});
        todo.add(
            new String[] {name, EventRecorder.NORMAL, "Created", "Created container: " + name});
        todo.add(new String[] {name, EventRecorder.NORMAL, "Started", "Started container " + name});
      }
      if (to.equals("waiting:CrashLoopBackOff")) {
        todo.add(
            new String[] {
              name,
              EventRecorder.WARNING,
              "BackOff",
              "Back-off restarting failed container "
                  + name
                  + " in pod "
                  + Meta.name(after)
                  + "_"
                  + Meta.namespace(after)
                  + "("
                  + Meta.uid(after)
                  + ")"
            });
      } else if (to.equals("waiting:ErrImagePull")) {
        todo.add(
            new String[] {
              name,
              EventRecorder.WARNING,
              "Failed",
              "Failed to pull image \"" + image + "\": " + PodStatuses.pullError(image)
            });
        todo.add(new String[] {name, EventRecorder.WARNING, "Failed", "Error: ErrImagePull"});
      } else if (to.equals("waiting:ImagePullBackOff")) {
        todo.add(
            new String[] {
              name, EventRecorder.NORMAL, "BackOff", "Back-off pulling image \"" + image + "\""
            });
        todo.add(new String[] {name, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff"});
      }
    }
    for (String[] e : todo) {
      events.container(after, e[0], e[1], e[2], e[3]);
    }
  }

  private static String imageOf(JsonNode pod, String container) {
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (container.equals(c.path("name").asText())) {
        return c.path("image").asText();
      }
    }
    return "";
  }

  private String pulled(String image) {
    double seconds = delay.toMillis() / 1000.0;
    String took = String.format(java.util.Locale.ROOT, "%.3fs", seconds);
    return "Successfully pulled image \""
        + image
        + "\" in "
        + took
        + " ("
        + took
        + " including waiting). Image size: 4194304 bytes.";
  }
}
