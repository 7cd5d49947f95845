package dev.flotilla.agent.proxy;

import dev.flotilla.agent.proxy.ApplicationObjects.Node;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Log follows in progress, by request id: new lines are collected as the Kubernetes client hands
 * them over and go up in one part every {@link #FLUSH_MS} ms; a follow ends when every container's
 * log ends, when the control plane cancels it, or at {@link ResourceProxyLimits#MAX_FOLLOW},
 * whichever comes first, with a last part. No thread waits for lines.
 */
final class LogFollows implements AutoCloseable {

  static final long FLUSH_MS = 200;

  private final PodLogReader reader;
  private final ScheduledExecutorService scheduler;
  private final Predicate<ResourceResponse> send;
  private final Map<String, Follow> running = new ConcurrentHashMap<>();

  LogFollows(
      PodLogReader reader, ScheduledExecutorService scheduler, Predicate<ResourceResponse> send) {
    this.reader = reader;
    this.scheduler = scheduler;
    this.send = send;
  }

  int running() {
    return running.size();
  }

  /** Starts following; containers are checked first, so a wrong one is refused at once. */
  void start(String id, List<Node> pods, LogOptions options) {
    List<String> containers = new ArrayList<>();
    for (Node pod : pods) {
      containers.add(PodLogReader.container(pod, options.getContainer()));
    }
    Follow follow = new Follow(id, pods.size());
    running.put(id, follow);
    // An empty first part at once: the control plane knows the follow runs, however quiet the log.
    follow.started();
    for (int i = 0; i < pods.size(); i++) {
      LogWatch watch = reader.follow(pods.get(i), containers.get(i), options, follow::add);
      follow.watches.add(watch);
      watch.onClose().whenComplete((ignored, error) -> follow.containerEnded());
    }
    follow.flusher =
        scheduler.scheduleWithFixedDelay(follow::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    follow.deadline =
        scheduler.schedule(
            () -> end(id, true), ResourceProxyLimits.MAX_FOLLOW.toMillis(), TimeUnit.MILLISECONDS);
  }

  void cancel(String id) {
    end(id, false);
  }

  /** Stops a follow; with {@code answer}, sends what is pending and the last part. */
  private void end(String id, boolean answer) {
    Follow follow = running.remove(id);
    if (follow == null) {
      return;
    }
    follow.stop();
    if (answer) {
      follow.flushLast();
    } else {
      follow.silence();
    }
  }

  @Override
  public void close() {
    for (String id : List.copyOf(running.keySet())) {
      end(id, false);
    }
  }

  private final class Follow {
    private final String id;
    private final List<LogWatch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<LogLine> pending = new ArrayList<>();
    private final int containers;
    private int part;
    private int ended;
    private boolean done;
    private ScheduledFuture<?> flusher;
    private ScheduledFuture<?> deadline;

    Follow(String id, int containers) {
      this.id = id;
      this.containers = containers;
    }

    synchronized void add(LogLine line) {
      if (!done && pending.size() < ResourceProxyLimits.MAX_TAIL_LINES) {
        pending.add(line); // a burst beyond this in one flush interval is dropped, not queued
      }
    }

    void containerEnded() {
      boolean all;
      synchronized (this) {
        ended++;
        all = ended >= containers;
      }
      if (all) {
        end(id, true);
      }
    }

    synchronized void flush() {
      if (done || pending.isEmpty()) {
        return;
      }
      sendParts(false);
    }

    synchronized void started() {
      send.test(ResourceResponse.newBuilder().setId(id).setPart(part++).build());
    }

    /** Cancelled: nothing more goes up. */
    synchronized void silence() {
      done = true;
      pending.clear();
    }

    synchronized void flushLast() {
      if (!done) {
        sendParts(true);
      }
    }

    /** Called with the lock held. */
    private void sendParts(boolean last) {
      done = last;
      List<ResourceResponse> parts = AnswerParts.split(id, "", List.copyOf(pending), part, last);
      pending.clear();
      part += parts.size();
      for (ResourceResponse p : parts) {
        if (!send.test(p)) {
          end(id, false); // the stream is gone: nobody is listening any more
          return;
        }
      }
    }

    void stop() {
      if (flusher != null) {
        flusher.cancel(false);
      }
      if (deadline != null) {
        deadline.cancel(false);
      }
      watches.forEach(LogWatch::close);
    }
  }
}
