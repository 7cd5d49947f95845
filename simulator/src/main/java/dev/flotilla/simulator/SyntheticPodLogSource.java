package dev.flotilla.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.api.ApiException;
import dev.flotilla.simulator.api.PodLogSource;
import dev.flotilla.simulator.controller.PodLogs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code kubectl logs} on a simulated cluster: the controller manager's synthetic lines, and for
 * {@code -f} the new ones as the simulated container "writes" them (checked once a second, handed
 * over from a scheduler thread, never blocking the API server).
 */
final class SyntheticPodLogSource implements PodLogSource {

  private static final Duration FOLLOW_POLL = Duration.ofSeconds(1);

  private final PodLogs logs;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  SyntheticPodLogSource(PodLogs logs, Clock clock, ScheduledExecutorService scheduler) {
    this.logs = logs;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  @Override
  public AutoCloseable open(
      ObjectNode pod,
      String container,
      OptionalInt tailLines,
      boolean follow,
      Consumer<String> line,
      Runnable end) {
    List<String> all;
    try {
      all = logs.lines(pod, container, null, clock.instant());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    int tail =
        tailLines.isPresent()
            ? Math.max(0, Math.min(tailLines.getAsInt(), all.size()))
            : all.size();
    all.subList(all.size() - tail, all.size()).forEach(line);
    if (!follow) {
      end.run();
      return () -> {};
    }
    // Lines only grow while the container runs: hand over what was not handed over yet.
    int[] sent = {all.size()};
    ScheduledFuture<?> task =
        scheduler.scheduleWithFixedDelay(
            () -> {
              List<String> lines = logs.lines(pod, container, null, clock.instant());
              for (int i = sent[0]; i < lines.size(); i++) {
                line.accept(lines.get(i));
              }
              sent[0] = Math.max(sent[0], lines.size());
            },
            FOLLOW_POLL.toMillis(),
            FOLLOW_POLL.toMillis(),
            TimeUnit.MILLISECONDS);
    return () -> task.cancel(false);
  }
}
