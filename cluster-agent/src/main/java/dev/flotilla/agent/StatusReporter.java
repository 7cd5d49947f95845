package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.StatusBatch;
import dev.flotilla.proto.agent.v1.StoredStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Keeps the latest status of each Application and sends what changed as one {@link StatusBatch} per
 * {@link #flush()}, so a resync of hundreds of Applications costs a few messages, not hundreds.
 *
 * <p>{@link #report} never waits for the network: it only records, and sending happens on whoever
 * calls {@link #flush()} (the Welcome of a new stream, a resync) or on the {@link FlushTimer}. A
 * timed flush is scheduled only when something becomes pending and none is scheduled yet, so an
 * idle agent never wakes up for its statuses; whatever is pending always has a flush coming. An
 * unchanged status (ignoring when it was observed) is not sent again; a status that could not be
 * sent stays pending unless a newer one replaced it, and is tried again {@link #FLUSH_DELAY} later.
 *
 * <p>Delivery is at-least-once: each change gets a new {@link ApplicationStatus#getSequence()
 * sequence}, and a control plane that acknowledges statuses echoes it once the status is stored. A
 * status sent but not acknowledged (its write failed, or the stream broke before the ack) is not
 * delivered: {@link #resendUnacknowledged()} offers it again. With a control plane that does not
 * acknowledge, a status sent counts as delivered, as before acknowledgements existed.
 */
final class StatusReporter {

  /** Well under gRPC's default 4 MiB message limit, even with large resource trees. */
  static final int MAX_BATCH_BYTES = 1024 * 1024;

  /**
   * How long status changes are collected before they go up as one batch, and how soon a send that
   * failed (the stream is down) is tried again: the cadence of the fixed 100 ms tick this replaces.
   * Retrying while disconnected costs no more than that tick did, and a new stream gets everything
   * at once from its Welcome anyway.
   */
  static final Duration FLUSH_DELAY = Duration.ofMillis(100);

  /** Runs a flush later, never on the calling thread: the agent's scheduler, or a test's. */
  @FunctionalInterface
  interface FlushTimer {
    void schedule(Runnable flush, Duration delay);
  }

  /** A status as last reported, and whether the control plane confirmed it stored. */
  private record Reported(ApplicationStatus status, boolean acknowledged) {}

  private final Predicate<AgentMessage> sender;
  private final FlushTimer timer;

  /** Written under {@code this}; read without it by {@link #latest} and {@link #all}. */
  private final Map<String, Reported> latest = new ConcurrentHashMap<>();

  /** Guarded by {@code this}; insertion order is the order of first change since the last flush. */
  private final Set<String> pending = new LinkedHashSet<>();

  /** Guarded by {@code this}. */
  private long lastSequence;

  /**
   * Guarded by {@code this}: a timed flush is scheduled and has not yet taken what is pending, so
   * whatever becomes pending meanwhile goes with it.
   */
  private boolean flushScheduled;

  /** Whether the control plane of the current stream acknowledges what it stores. */
  private volatile boolean acknowledging;

  /** Serialises flushes so that batches leave in the order they were taken. */
  private final Object flushing = new Object();

  /**
   * @param sender sends one message; returns false when it could not (e.g. disconnected)
   * @param timer runs the flushes that nobody asked for: a batch of changes, a retry
   */
  StatusReporter(Predicate<AgentMessage> sender, FlushTimer timer) {
    this.sender = sender;
    this.timer = timer;
  }

  /**
   * Records {@code status}; it goes out with the next flush unless it equals the previous one. Its
   * observation time never goes backwards (the control plane orders statuses by it), even when the
   * clock does.
   */
  void report(ApplicationStatus status) {
    if (record(status)) {
      flushLaterIfPending();
    }
  }

  /** Returns whether the status is a change, now pending. */
  private synchronized boolean record(ApplicationStatus status) {
    String application = status.getApplication();
    Reported previous = latest.get(application);
    if (previous != null && sameContent(previous.status(), status)) {
      // Same status, seen again: same sequence, same delivery state, a later observation.
      long observed =
          Math.max(status.getObservedAtUnixMs(), previous.status().getObservedAtUnixMs());
      latest.put(
          application,
          new Reported(
              previous.status().toBuilder().setObservedAtUnixMs(observed).build(),
              previous.acknowledged()));
      return false;
    }
    long observed =
        previous == null
            ? status.getObservedAtUnixMs()
            : Math.max(status.getObservedAtUnixMs(), previous.status().getObservedAtUnixMs() + 1);
    ApplicationStatus numbered =
        status.toBuilder().setSequence(++lastSequence).setObservedAtUnixMs(observed).build();
    latest.put(application, new Reported(numbered, false));
    pending.add(application);
    return true;
  }

  Optional<ApplicationStatus> latest(String application) {
    return Optional.ofNullable(latest.get(application)).map(Reported::status);
  }

  Map<String, ApplicationStatus> all() {
    return latest.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().status()));
  }

  /** Applications whose latest status the control plane has not confirmed stored, sorted. */
  Set<String> unacknowledged() {
    return latest.entrySet().stream()
        .filter(e -> !e.getValue().acknowledged())
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** How many statuses wait for a flush (tests check that one is always coming). */
  synchronized int pendingCount() {
    return pending.size();
  }

  /** The Application is no longer ours: nothing more is reported about it. */
  synchronized void forget(String application) {
    latest.remove(application);
    pending.remove(application);
  }

  /**
   * A new stream (its Welcome says whether its control plane acknowledges statuses). It knows
   * nothing of what we sent before, and may have marked our Applications Unknown while we were
   * away: every latest status is sent now and is undelivered until acknowledged again.
   */
  void resendAll(boolean acknowledging) {
    this.acknowledging = acknowledging;
    resendAll();
  }

  /** Sends every latest status again, each undelivered until acknowledged. */
  void resendAll() {
    synchronized (this) {
      latest.replaceAll((name, r) -> new Reported(r.status(), false));
      pending.addAll(latest.keySet());
    }
    flushLaterIfPending();
    flush();
  }

  /** Offers again every status the control plane has not confirmed stored (e.g. at a resync). */
  void resendUnacknowledged() {
    synchronized (this) {
      latest.forEach(
          (name, r) -> {
            if (!r.acknowledged()) {
              pending.add(name);
            }
          });
    }
    flushLaterIfPending();
    flush();
  }

  /** The control plane stored these: delivered, unless a newer status has been reported since. */
  synchronized void acknowledge(List<StoredStatus> stored) {
    for (StoredStatus s : stored) {
      latest.computeIfPresent(
          s.getApplication(),
          (name, r) ->
              r.status().getSequence() == s.getSequence() ? new Reported(r.status(), true) : r);
    }
  }

  /** Sends everything pending in as few batches as fit; returns how many statuses were sent. */
  int flush() {
    return flush(false);
  }

  /** The flush {@link #flushLaterIfPending} scheduled. */
  private void timedFlush() {
    flush(true);
  }

  private int flush(boolean timed) {
    synchronized (flushing) {
      List<ApplicationStatus> taken = new ArrayList<>();
      synchronized (this) {
        if (timed) {
          // From here on, a change needs a flush of its own: this one has taken what it sends.
          flushScheduled = false;
        }
        if (pending.isEmpty()) {
          return 0;
        }
        for (String name : pending) {
          Reported r = latest.get(name);
          if (r != null) {
            taken.add(r.status());
          }
        }
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
          flushLaterIfPending();
          return sent;
        }
        if (!acknowledging) {
          // No acknowledgement will come: what went out counts as delivered.
          acknowledge(
              batch.getStatusesList().stream()
                  .map(
                      s ->
                          StoredStatus.newBuilder()
                              .setApplication(s.getApplication())
                              .setSequence(s.getSequence())
                              .build())
                  .toList());
        }
        sent = i;
      }
      return sent;
    }
  }

  /**
   * Schedules a timed flush when something is pending and none is scheduled yet: called after each
   * change to {@link #pending}, outside the lock, so that nothing waits there with no flush coming.
   */
  private void flushLaterIfPending() {
    synchronized (this) {
      if (pending.isEmpty() || flushScheduled) {
        return;
      }
      flushScheduled = true;
    }
    timer.schedule(this::timedFlush, FLUSH_DELAY);
  }

  private synchronized void putBack(List<ApplicationStatus> unsent) {
    for (ApplicationStatus s : unsent) {
      // A newer status reported meanwhile is pending already; a forgotten Application stays
      // forgotten.
      Reported now = latest.get(s.getApplication());
      if (now != null && now.status().getSequence() == s.getSequence()) {
        pending.add(s.getApplication());
      }
    }
  }

  private static boolean sameContent(ApplicationStatus a, ApplicationStatus b) {
    return withoutBookkeeping(a).equals(withoutBookkeeping(b));
  }

  private static ApplicationStatus withoutBookkeeping(ApplicationStatus s) {
    return s.toBuilder().clearObservedAtUnixMs().clearSequence().build();
  }
}
