package dev.flotilla.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * N {@link SimulatedAgent}s in one JVM, each on a connection of its own (as real agents, one per
 * cluster), spread round-robin over the control-plane replicas. One small scheduler drives every
 * agent's heartbeats, status reports and the fleet's drift; each agent's timers start at a random
 * offset so that the fleet's traffic is spread evenly, as a real fleet's is.
 */
final class AgentFleet implements SimulatedAgent.Listener, AutoCloseable {

  /** One cluster's name and join token. */
  record Member(String cluster, String token) {}

  /** When each agent first met a condition, in nanoseconds from {@link #watch}'s start. */
  static final class Milestone {
    private final Predicate<SimulatedAgent> condition;
    private final long startNanos;
    private final Map<String, Long> reached = new ConcurrentHashMap<>();
    private final int target;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Milestone(Predicate<SimulatedAgent> condition, long startNanos, int target) {
      this.condition = condition;
      this.startNanos = startNanos;
      this.target = target;
    }

    void check(SimulatedAgent agent) {
      if (!reached.containsKey(agent.cluster()) && condition.test(agent)) {
        reached.putIfAbsent(agent.cluster(), System.nanoTime() - startNanos);
        if (reached.size() >= target) {
          done.complete(null);
        }
      }
    }

    /** Completes when every agent got there. */
    CompletableFuture<Void> done() {
      return done;
    }

    long startNanos() {
      return startNanos;
    }

    int count() {
      return reached.size();
    }

    /** Milliseconds from the start, one per agent that got there. */
    List<Double> millis() {
      return reached.values().stream().map(n -> n / 1e6).toList();
    }
  }

  private final List<SimulatedAgent> agents = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Milestone> milestones = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "bench-agent-timers");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger disconnects = new AtomicInteger();
  private final AtomicLong driftEvents = new AtomicLong();
  private volatile boolean closing;

  /**
   * @param members the clusters, one agent each
   * @param targets gRPC addresses ({@code host:port}) of the replicas, used round-robin
   */
  AgentFleet(List<Member> members, List<String> targets, Duration heartbeat) {
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      ManagedChannel channel =
          NettyChannelBuilder.forTarget(targets.get(i % targets.size()))
              .usePlaintext()
              .maxInboundMessageSize(dev.flotilla.proto.AgentLimits.MAX_MESSAGE_BYTES)
              .build();
      channels.add(channel);
      agents.add(
          new SimulatedAgent(m.cluster(), m.token(), channel, heartbeat.toMillis(), timers, this));
    }
  }

  /** Dials every agent now; each reports its Welcome and assignments to the milestones. */
  void connectAll() {
    agents.forEach(SimulatedAgent::connect);
  }

  /**
   * Starts each agent's periodic heartbeat and status report (at a random offset within one
   * period), and drift at {@code driftPerSecond} across the whole fleet (0: none).
   */
  void startTraffic(Duration heartbeat, Duration statusInterval, double driftPerSecond) {
    for (SimulatedAgent agent : agents) {
      every(heartbeat, agent::heartbeat);
      if (!statusInterval.isZero()) {
        every(statusInterval, agent::reportStatuses);
      }
    }
    if (driftPerSecond > 0) {
      long periodMicros = Math.max(1, (long) (1_000_000 / driftPerSecond));
      timers.scheduleAtFixedRate(
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            agents.get(random.nextInt(agents.size())).drift(random.nextInt(1 << 20));
            driftEvents.addAndGet(2);
          },
          periodMicros,
          periodMicros,
          TimeUnit.MICROSECONDS);
    }
  }

  private void every(Duration period, Runnable task) {
    long millis = Math.max(1, period.toMillis());
    timers.scheduleAtFixedRate(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            // One agent's failed send must not cancel its timer.
          }
        },
        ThreadLocalRandom.current().nextLong(millis),
        millis,
        TimeUnit.MILLISECONDS);
  }

  /** Tracks, from now on, when each agent meets {@code condition} (checked at each change). */
  Milestone watch(Predicate<SimulatedAgent> condition) {
    Milestone m = new Milestone(condition, System.nanoTime(), agents.size());
    milestones.add(m);
    agents.forEach(m::check);
    return m;
  }

  void unwatch(Milestone m) {
    milestones.remove(m);
  }

  int size() {
    return agents.size();
  }

  int connected() {
    int n = 0;
    for (SimulatedAgent a : agents) {
      if (a.isConnected()) {
        n++;
      }
    }
    return n;
  }

  int disconnects() {
    return disconnects.get();
  }

  long driftEventsSent() {
    return driftEvents.get();
  }

  @Override
  public void welcomed(SimulatedAgent agent) {
    milestones.forEach(m -> m.check(agent));
  }

  @Override
  public void assignmentsChanged(SimulatedAgent agent) {
    milestones.forEach(m -> m.check(agent));
  }

  /** Reconnects with jittered backoff (1–5 s), as the real agent does, so there is no herd. */
  @Override
  public void disconnected(SimulatedAgent agent, Throwable cause) {
    if (closing || agent.isStopped()) {
      return;
    }
    disconnects.incrementAndGet();
    timers.schedule(
        agent::connect, 1000 + ThreadLocalRandom.current().nextLong(4000), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closing = true;
    timers.shutdownNow();
    agents.forEach(SimulatedAgent::stop);
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
