package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.StatusBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Keeps the latest status of each Application and sends what changed as one {@link StatusBatch} per
 * {@link #flush()}, so a resync of hundreds of Applications costs a few messages, not hundreds.
 *
 * <p>{@link #report} never waits for the network: it only records, and sending happens on whoever
 * calls {@link #flush()} (a timer, or the Welcome of a new stream). An unchanged status (ignoring
 * when it was observed) is not sent again; a status that could not be sent stays pending unless a
 * newer one replaced it.
 */
final class StatusReporter {

  /** Well under gRPC's default 4 MiB message limit, even with large resource trees. */
  static final int MAX_BATCH_BYTES = 1024 * 1024;

  private final Predicate<AgentMessage> sender;
  private final Map<String, ApplicationStatus> latest = new ConcurrentHashMap<>();

  /** Guarded by {@code this}; insertion order is the order of first change since the last flush. */
  private final Map<String, ApplicationStatus> pending = new LinkedHashMap<>();

  /** Serialises flushes so that batches leave in the order they were taken. */
  private final Object flushing = new Object();

  /**
   * @param sender sends one message; returns false when it could not (e.g. disconnected)
   */
  StatusReporter(Predicate<AgentMessage> sender) {
    this.sender = sender;
  }

  /** Records {@code status}; it goes out with the next flush unless it equals the previous one. */
  synchronized void report(ApplicationStatus status) {
    ApplicationStatus previous = latest.put(status.getApplication(), status);
    if (previous != null && withoutObservedAt(previous).equals(withoutObservedAt(status))) {
      return;
    }
    pending.put(status.getApplication(), status);
  }

  Optional<ApplicationStatus> latest(String application) {
    return Optional.ofNullable(latest.get(application));
  }

  Map<String, ApplicationStatus> all() {
    return Map.copyOf(latest);
  }

  /** The Application is no longer ours: nothing more is reported about it. */
  synchronized void forget(String application) {
    latest.remove(application);
    pending.remove(application);
  }

  /** A new stream knows nothing of what we sent before: send every latest status now. */
  void resendAll() {
    synchronized (this) {
      latest.forEach(pending::putIfAbsent);
    }
    flush();
  }

  /** Sends everything pending in as few batches as fit; returns how many statuses were sent. */
  int flush() {
    synchronized (flushing) {
      List<ApplicationStatus> taken;
      synchronized (this) {
        if (pending.isEmpty()) {
          return 0;
        }
        taken = new ArrayList<>(pending.values());
        pending.clear();
      }
      int sent = 0;
      while (sent < taken.size()) {
        StatusBatch.Builder batch = StatusBatch.newBuilder();
        int bytes = 0;
        int i = sent;
        while (i < taken.size()
            && (batch.getStatusesCount() == 0
                || bytes + taken.get(i).getSerializedSize() <= MAX_BATCH_BYTES)) {
          bytes += taken.get(i).getSerializedSize();
          batch.addStatuses(taken.get(i));
          i++;
        }
        if (!sender.test(AgentMessage.newBuilder().setStatuses(batch).build())) {
          putBack(taken.subList(sent, taken.size()));
          return sent;
        }
        sent = i;
      }
      return sent;
    }
  }

  private synchronized void putBack(List<ApplicationStatus> unsent) {
    for (ApplicationStatus s : unsent) {
      // A newer status reported meanwhile wins; a forgotten Application stays forgotten.
      if (latest.get(s.getApplication()) == s) {
        pending.putIfAbsent(s.getApplication(), s);
      }
    }
  }

  private static ApplicationStatus withoutObservedAt(ApplicationStatus s) {
    return s.toBuilder().clearObservedAtUnixMs().build();
  }
}
