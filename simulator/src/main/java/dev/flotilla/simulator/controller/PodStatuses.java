package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a simulated kubelet reports for a Pod after a given time on its node: pure, so the stages
 * (ContainerCreating, Running, CrashLoopBackOff, ErrImagePull, Completed) are decided in one place.
 */
final class PodStatuses {

  /** The pod's status at one moment, and in how many ms it next changes (-1: it does not). */
  record Progress(
      String phase,
      List<ObjectNode> containerStatuses,
      boolean ready,
      String notReadyReason,
      List<String> unready,
      long nextChangeMillis) {}

  private PodStatuses() {}

  static Progress progress(JsonNode pod, Instant since, long elapsed, long d, Instant now) {
    boolean jobPod =
        "Job".equals(Meta.controllerRef(pod).map(r -> r.path("kind").asText()).orElse(""));
    boolean neverRestart = "Never".equals(pod.path("spec").path("restartPolicy").asText("Always"));
    List<ObjectNode> statuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    long next = -1;
    boolean pending = elapsed < d;
    boolean allTerminated = true;
    boolean anyFailed = false;
    for (JsonNode c : pod.path("spec").path("containers")) {
      String name = c.path("name").asText();
      String image = c.path("image").asText();
      ObjectNode cs = containerBase(c);
      ObjectNode state = cs.putObject("state");
      boolean ready = false;
      long change = -1;
      String startedAt = Meta.time(since.plusMillis(d));
      if (elapsed < d) {
        state.putObject("waiting").put("reason", "ContainerCreating");
        change = d - elapsed;
        allTerminated = false;
      } else if (image.contains("does-not-exist")) {
        pending = true;
        allTerminated = false;
        if (elapsed < 2 * d) {
          state.putObject("waiting").put("reason", "ErrImagePull").put("message", pullError(image));
          change = 2 * d - elapsed;
        } else {
          state
              .putObject("waiting")
              .put("reason", "ImagePullBackOff")
              .put("message", "Back-off pulling image \"" + image + "\"");
        }
      } else if (image.contains("crashloop") && jobPod && neverRestart) {
        identify(cs, pod, name, image, 0);
        state
            .putObject("terminated")
            .put("exitCode", 1)
            .put("reason", "Error")
            .put("startedAt", startedAt)
            .put("finishedAt", startedAt)
            .put("containerID", cs.path("containerID").asText());
        anyFailed = true;
      } else if (image.contains("crashloop")) {
        allTerminated = false;
        long restarts = 1 + (elapsed - d) / (2 * d);
        identify(cs, pod, name, image, restarts);
        cs.put("restartCount", restarts);
        state
            .putObject("waiting")
            .put("reason", "CrashLoopBackOff")
            .put(
                "message",
                "back-off "
                    + Math.min(300, 10L << Math.min(restarts - 1, 5))
                    + "s restarting failed container="
                    + name
                    + " pod="
                    + Meta.name(pod)
                    + "_"
                    + Meta.namespace(pod)
                    + "("
                    + Meta.uid(pod)
                    + ")");
        String crashed = Meta.time(since.plusMillis(d + (restarts - 1) * 2 * d));
        cs.putObject("lastState")
            .putObject("terminated")
            .put("exitCode", 1)
            .put("reason", "Error")
            .put("startedAt", crashed)
            .put("finishedAt", crashed)
            .put("containerID", cs.path("containerID").asText());
        change = d + restarts * 2 * d - elapsed;
      } else if (jobPod && elapsed >= 2 * d) {
        identify(cs, pod, name, image, 0);
        state
            .putObject("terminated")
            .put("exitCode", 0)
            .put("reason", "Completed")
            .put("startedAt", startedAt)
            .put("finishedAt", Meta.time(since.plusMillis(2 * d)))
            .put("containerID", cs.path("containerID").asText());
      } else {
        identify(cs, pod, name, image, 0);
        state.putObject("running").put("startedAt", startedAt);
        cs.put("started", true);
        ready = true;
        allTerminated = false;
        if (jobPod) {
          change = 2 * d - elapsed;
        }
      }
      cs.put("ready", ready);
      if (!ready) {
        unready.add(name);
      }
      if (change >= 0) {
        next = next < 0 ? change : Math.min(next, change);
      }
      statuses.add(cs);
    }
    String phase;
    String reason = "ContainersNotReady";
    if (jobPod && allTerminated && !statuses.isEmpty()) {
      phase = anyFailed ? "Failed" : "Succeeded";
      reason = anyFailed ? "PodFailed" : "PodCompleted";
    } else {
      phase = pending ? "Pending" : "Running";
    }
    return new Progress(phase, statuses, unready.isEmpty(), reason, unready, next);
  }

  static void apply(ObjectNode pod, Progress progress, Instant now) {
    ObjectNode status = Meta.obj(pod, "status");
    status.put("phase", progress.phase());
    ArrayNode list = status.putArray("containerStatuses");
    progress.containerStatuses().forEach(list::add);
    String message =
        progress.unready().isEmpty() || !"ContainersNotReady".equals(progress.notReadyReason())
            ? null
            : "containers with unready status: [" + String.join(" ", progress.unready()) + "]";
    setConditions(pod, now, true, progress.ready(), progress.notReadyReason(), message);
  }

  static void setConditions(
      ObjectNode pod, Instant now, boolean started, boolean ready, String reason) {
    setConditions(pod, now, started, ready, reason, null);
  }

  private static void setConditions(
      ObjectNode pod, Instant now, boolean started, boolean ready, String reason, String message) {
    ArrayNode conditions = Meta.JSON.arrayNode();
    condition(conditions, pod, "PodReadyToStartContainers", started, null, null, now);
    condition(conditions, pod, "Initialized", true, null, null, now);
    condition(conditions, pod, "Ready", ready, reason, message, now);
    condition(conditions, pod, "ContainersReady", ready, reason, message, now);
    condition(conditions, pod, "PodScheduled", true, null, null, now);
    Meta.obj(pod, "status").set("conditions", conditions);
  }

  private static void condition(
      ArrayNode conditions,
      JsonNode pod,
      String type,
      boolean value,
      String reason,
      String message,
      Instant now) {
    String status = value ? "True" : "False";
    JsonNode old = Meta.condition(pod, type);
    String since =
        status.equals(old.path("status").asText())
            ? old.path("lastTransitionTime").asText(Meta.time(now))
            : Meta.time(now);
    ObjectNode c = conditions.addObject().put("type", type).put("status", status);
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", since);
    if (!value && reason != null) {
      c.put("reason", reason);
      if (message != null) {
        c.put("message", message);
      }
    }
  }

  static ObjectNode containerBase(JsonNode container) {
    ObjectNode cs = Meta.JSON.objectNode();
    cs.put("name", container.path("name").asText());
    cs.put("image", normalizeImage(container.path("image").asText()));
    cs.put("imageID", "");
    cs.put("ready", false);
    cs.put("restartCount", 0);
    cs.put("started", false);
    return cs;
  }

  private static void identify(ObjectNode cs, JsonNode pod, String name, String image, long run) {
    String repo = normalizeImage(image);
    int tag = repo.lastIndexOf(':');
    if (tag > repo.lastIndexOf('/')) {
      repo = repo.substring(0, tag);
    }
    cs.put("imageID", repo + "@sha256:" + sha256(image));
    cs.put("containerID", "containerd://" + sha256(Meta.uid(pod) + "/" + name + "/" + run));
  }

  /** {@code nginx:1.27} as a container runtime reports it: {@code docker.io/library/nginx:1.27}. */
  static String normalizeImage(String image) {
    String named = image;
    int slash = named.indexOf('/');
    if (slash < 0) {
      named = "docker.io/library/" + named;
    } else {
      String first = named.substring(0, slash);
      if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
        named = "docker.io/" + named;
      }
    }
    if (!named.contains("@") && named.lastIndexOf(':') <= named.lastIndexOf('/')) {
      named = named + ":latest";
    }
    return named;
  }

  static String pullError(String image) {
    return "rpc error: code = NotFound desc = failed to pull and unpack image \""
        + normalizeImage(image)
        + "\": failed to resolve reference \""
        + normalizeImage(image)
        + "\": not found (SIMULATED)";
  }

  static String qosClass(JsonNode pod) {
    for (JsonNode c : pod.path("spec").path("containers")) {
      JsonNode r = c.path("resources");
      if (!r.path("requests").isEmpty() || !r.path("limits").isEmpty()) {
        return "Burstable";
      }
    }
    return "BestEffort";
  }

  /** {@code running}, {@code waiting:REASON} or {@code terminated:REASON}; empty when unknown. */
  static String stateKey(JsonNode containerStatus) {
    JsonNode state = containerStatus.path("state");
    if (state.has("running")) {
      return "running";
    }
    if (state.has("waiting")) {
      return "waiting:" + state.path("waiting").path("reason").asText();
    }
    if (state.has("terminated")) {
      return "terminated:" + state.path("terminated").path("reason").asText();
    }
    return "";
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
