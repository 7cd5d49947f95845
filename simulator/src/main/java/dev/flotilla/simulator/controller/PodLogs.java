package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic, deterministic log lines of a simulated container: a start line naming the image and
 * the node, then one "simulated request handled" line per interval while it runs (a crash line for
 * a CrashLoopBackOff container's last run, an exit line for a completed one). The same pod, time
 * and arguments always give the same lines, so tests and the demo can rely on them.
 */
public final class PodLogs {

  /** At most this many lines are returned (the newest ones), whatever was asked. */
  public static final int MAX_LINES = 10_000;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Duration interval;

  public PodLogs() {
    this(Duration.ofSeconds(5));
  }

  public PodLogs(Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("log interval must be positive, was " + interval);
    }
    this.interval = interval;
  }

  /** The lines of {@code container} (null: the only one) up to {@code now}. */
  public List<String> lines(ObjectNode pod, String container, Integer tailLines, Instant now) {
    return lines(pod, container, tailLines, null, now);
  }

  /**
   * As {@link #lines(ObjectNode, String, Integer, Instant)}, keeping only lines at or after {@code
   * since} (kubectl's {@code --since}/{@code --since-time}) and then the last {@code tailLines}.
   *
   * @throws IllegalArgumentException the container is not one of the pod's (message as the API
   *     server's)
   * @throws IllegalStateException the container has not started (waiting to start: REASON)
   */
  public List<String> lines(
      ObjectNode pod, String container, Integer tailLines, Instant since, Instant now) {
    String podName = Meta.name(pod);
    String name = containerName(pod, container);
    JsonNode status = containerStatus(pod, name);
    JsonNode state = status.path("state");
    Instant start;
    Instant end;
    String last = null;
    if (state.has("running")) {
      start = Meta.parseTime(state.path("running").path("startedAt"));
      end = now;
    } else if (state.has("terminated")) {
      JsonNode t = state.path("terminated");
      start = Meta.parseTime(t.path("startedAt"));
      end = Meta.parseTime(t.path("finishedAt"));
      last = exitLine(t);
    } else if (status.path("lastState").has("terminated")) {
      JsonNode t = status.path("lastState").path("terminated");
      start = Meta.parseTime(t.path("startedAt"));
      end = Meta.parseTime(t.path("finishedAt"));
      last = exitLine(t);
    } else {
      String reason = state.path("waiting").path("reason").asText("ContainerCreating");
      throw new IllegalStateException(
          "container \"" + name + "\" in pod \"" + podName + "\" is waiting to start: " + reason);
    }
    if (start == null) {
      start = now;
    }
    if (end == null || end.isBefore(start)) {
      end = start;
    }
    if (end.isAfter(now)) {
      end = now;
    }
    long requests = Duration.between(start, end).toMillis() / interval.toMillis();
    // Line 0 is the start line, 1..requests the requests, then the exit line if any.
    long total = requests + 1 + (last == null ? 0 : 1);
    long first = 0;
    if (since != null && since.isAfter(start)) {
      long ms = Duration.between(start, since).toMillis();
      first = (ms + interval.toMillis() - 1) / interval.toMillis();
      if (last != null && since.isAfter(end)) {
        first = total;
      }
    }
    long keep =
        Math.min(MAX_LINES, tailLines == null || tailLines < 0 ? Long.MAX_VALUE : tailLines);
    first = Math.max(first, total - keep);
    List<String> lines = new ArrayList<>();
    String seed = Meta.uid(pod) + "/" + name;
    for (long i = first; i < total; i++) {
      if (i == 0) {
        lines.add(
            STAMP.format(start)
                + " INFO starting container "
                + name
                + " image="
                + image(pod, name)
                + " node="
                + pod.path("spec").path("nodeName").asText("")
                + " (SIMULATED)");
      } else if (i <= requests) {
        Instant at = start.plus(interval.multipliedBy(i));
        int h = Math.floorMod((seed + "#" + i).hashCode(), 1000);
        lines.add(
            STAMP.format(at)
                + " INFO simulated request handled method=GET path="
                + (h % 3 == 0 ? "/healthz" : "/")
                + " status=200 duration="
                + (2 + h % 97)
                + "ms");
      } else {
        lines.add(STAMP.format(end) + " " + last);
      }
    }
    return lines;
  }

  private static String exitLine(JsonNode terminated) {
    int code = terminated.path("exitCode").asInt();
    return code == 0
        ? "INFO work done, exiting with code 0"
        : "ERROR simulated crash (image name contains \"crashloop\"), exiting with code " + code;
  }

  private static String containerName(JsonNode pod, String container) {
    List<String> names = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
    if (container == null || container.isEmpty()) {
      if (names.size() == 1) {
        return names.get(0);
      }
      throw new IllegalArgumentException(
          "a container name must be specified for pod "
              + Meta.name(pod)
              + ", choose one of: "
              + names.toString().replace(",", ""));
    }
    if (!names.contains(container)) {
      throw new IllegalArgumentException(
          "container " + container + " is not valid for pod " + Meta.name(pod));
    }
    return container;
  }

  private static JsonNode containerStatus(JsonNode pod, String name) {
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      if (name.equals(cs.path("name").asText())) {
        return cs;
      }
    }
    return Meta.JSON.objectNode();
  }

  private static String image(JsonNode pod, String name) {
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (name.equals(c.path("name").asText())) {
        return c.path("image").asText();
      }
    }
    return "";
  }
}
