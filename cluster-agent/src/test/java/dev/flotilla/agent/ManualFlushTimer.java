package dev.flotilla.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link StatusReporter.FlushTimer} driven by hand: it records flushes and runs them on cue. */
final class ManualFlushTimer implements StatusReporter.FlushTimer {

  private record Scheduled(Runnable flush, Duration delay) {}

  private final List<Scheduled> waiting = new ArrayList<>();
  private int scheduledInAll;

  @Override
  public synchronized void schedule(Runnable flush, Duration delay) {
    waiting.add(new Scheduled(flush, delay));
    scheduledInAll++;
  }

  /** The delays of the flushes scheduled and not yet run. */
  synchronized List<Duration> waiting() {
    return waiting.stream().map(Scheduled::delay).toList();
  }

  /** Every flush ever scheduled, run or not. */
  synchronized int scheduledInAll() {
    return scheduledInAll;
  }

  /** The batch window passes: runs the flushes waiting now, not those they schedule. */
  void elapse() {
    List<Scheduled> due;
    synchronized (this) {
      due = List.copyOf(waiting);
      waiting.clear();
    }
    due.forEach(s -> s.flush().run());
  }
}
