package dev.flotilla.simulator.controller;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a simulated cluster's controllers behave.
 *
 * @param podReadyDelay how long a Pod stays Pending (ContainerCreating) before it runs; also the
 *     pace of CrashLoopBackOff restarts and of a Job pod's run (default 1 s)
 * @param nodeCount how many nodes {@code sim-node-1..N} the cluster has (default 3)
 * @param clock where timestamps and elapsed delays come from
 * @param scheduler runs the delays; null: the manager owns one and shuts it down on close
 */
public record ControllerOptions(
    Duration podReadyDelay, int nodeCount, Clock clock, ScheduledExecutorService scheduler) {

  public static final Duration DEFAULT_POD_READY_DELAY = Duration.ofSeconds(1);
  public static final int DEFAULT_NODE_COUNT = 3;
  public static final int MAX_NODE_COUNT = 100;

  public ControllerOptions {
    Objects.requireNonNull(podReadyDelay, "podReadyDelay");
    Objects.requireNonNull(clock, "clock");
    if (podReadyDelay.isNegative()) {
      throw new IllegalArgumentException(
          "podReadyDelay must not be negative, was " + podReadyDelay);
    }
    if (nodeCount < 1 || nodeCount > MAX_NODE_COUNT) {
      throw new IllegalArgumentException(
          "nodeCount must be between 1 and " + MAX_NODE_COUNT + ", was " + nodeCount);
    }
  }

  public static ControllerOptions defaults() {
    return new ControllerOptions(
        DEFAULT_POD_READY_DELAY, DEFAULT_NODE_COUNT, Clock.systemUTC(), null);
  }

  public ControllerOptions withPodReadyDelay(Duration delay) {
    return new ControllerOptions(delay, nodeCount, clock, scheduler);
  }

  public ControllerOptions withNodeCount(int count) {
    return new ControllerOptions(podReadyDelay, count, clock, scheduler);
  }

  public ControllerOptions withClock(Clock newClock) {
    return new ControllerOptions(podReadyDelay, nodeCount, newClock, scheduler);
  }

  public ControllerOptions withScheduler(ScheduledExecutorService newScheduler) {
    return new ControllerOptions(podReadyDelay, nodeCount, clock, newScheduler);
  }
}
