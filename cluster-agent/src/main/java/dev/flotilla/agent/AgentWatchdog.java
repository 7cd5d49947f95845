package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's judgement of itself, sent with every heartbeat: can it still do its work? A reconcile
 * queue with work outstanding and nothing finishing is Wedged (the statuses it sent before may no
 * longer be true); a reconcile running long, a heap nearly full after collection, assignments that
 * cannot be persisted, or every Application failing make it Degraded. Pure: {@link #judge} takes
 * what was observed and the time.
 */
final class AgentWatchdog {

  /**
   * What the agent observed about itself.
   *
   * @param queue the reconcile queue's progress
   * @param startedAt when the agent started (work is not overdue before it had a chance)
   * @param heapInUse fraction of the maximum heap in use after the last collection; negative when
   *     unknown
   * @param persistenceError why assignments could not be persisted, if they could not
   * @param statuses the latest status of each assigned Application
   */
  record Observed(
      ReconcileQueue.Progress queue,
      Instant startedAt,
      double heapInUse,
      Optional<String> persistenceError,
      Collection<ApplicationStatus> statuses) {}

  private AgentWatchdog() {}

  static AgentHealth judge(Observed o, HealthSettings settings, Instant now) {
    List<String> wedged = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    ReconcileQueue.Progress q = o.queue();
    Optional<Map.Entry<String, Instant>> longest =
        q.running().entrySet().stream().min(Map.Entry.comparingByValue());
    // Outstanding since: the oldest of what waits and what runs.
    Optional<Instant> outstandingSince =
        java.util.stream.Stream.concat(
                q.oldestQueuedAt().stream(), longest.map(Map.Entry::getValue).stream())
            .min(Comparator.naturalOrder());
    Instant lastProgress = q.lastFinishedAt().orElse(o.startedAt());
    if (outstandingSince.isPresent()) {
      Instant stuckSince = later(outstandingSince.get(), lastProgress);
      Duration stuck = Duration.between(stuckSince, now);
      if (stuck.compareTo(settings.wedgedAfter()) >= 0) {
        wedged.add(
            "no reconcile finished for "
                + human(Duration.between(lastProgress, now))
                + " with work outstanding"
                + running(longest, now)
                + (q.queued() > 0 ? "; " + q.queued() + " queued" : ""));
      }
    }
    if (wedged.isEmpty()
        && longest.isPresent()
        && Duration.between(longest.get().getValue(), now).compareTo(settings.slowReconcile())
            >= 0) {
      degraded.add(
          "reconcile of "
              + longest.get().getKey()
              + " running for "
              + human(Duration.between(longest.get().getValue(), now)));
    }
    if (o.heapInUse() >= settings.memoryPressure()) {
      degraded.add(
          "memory pressure: " + Math.round(o.heapInUse() * 100) + "% of the heap in use after GC");
    }
    o.persistenceError().ifPresent(e -> degraded.add("assignments not persisted: " + e));
    List<ApplicationStatus> failing =
        o.statuses().stream().filter(ApplicationStatus::getSyncFailed).toList();
    if (!failing.isEmpty()) {
      String which =
          failing.size()
              + " of "
              + o.statuses().size()
              + " Applications failing (e.g. "
              + failing.get(0).getApplication()
              + ": "
              + abbreviate(failing.get(0).getMessage())
              + ")";
      // One bad Application is its own status; all of them failing points at the agent.
      (failing.size() == o.statuses().size() ? degraded : notes).add(which);
    }

    AgentHealthState state =
        !wedged.isEmpty()
            ? AgentHealthState.AGENT_HEALTH_STATE_WEDGED
            : !degraded.isEmpty()
                ? AgentHealthState.AGENT_HEALTH_STATE_DEGRADED
                : AgentHealthState.AGENT_HEALTH_STATE_OK;
    List<String> all = new ArrayList<>(wedged);
    all.addAll(degraded);
    all.addAll(notes);
    return AgentHealth.newBuilder().setState(state).setMessage(String.join("; ", all)).build();
  }

  /**
   * Fraction of the maximum heap still in use after the last collection of each heap pool, or -1
   * when the JVM does not tell (usage before collection would report pressure at every GC cycle).
   */
  static double heapInUseAfterGc() {
    long used = 0;
    long max = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getCollectionUsage();
      if (pool.getType() != MemoryType.HEAP || after == null || pool.getUsage().getMax() < 0) {
        continue;
      }
      used += after.getUsed();
      max += pool.getUsage().getMax();
    }
    return max <= 0 ? -1 : (double) used / max;
  }

  private static String running(Optional<Map.Entry<String, Instant>> longest, Instant now) {
    return longest
        .map(
            e ->
                "; reconcile of "
                    + e.getKey()
                    + " running for "
                    + human(Duration.between(e.getValue(), now)))
        .orElse("");
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  /** 6m12s, 45s, 800ms. */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return Math.max(0, d.toMillis()) + "ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
  }
}
