package dev.flotilla.git;

import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Cancels a clone or fetch once its deadline has passed. The transport timeout only bounds each
 * wait for the server; a server that trickles a byte now and then would never hit it. JGit asks
 * {@link #isCancelled()} while it negotiates and for every object it receives.
 */
final class DeadlineMonitor implements ProgressMonitor {

  private final long deadlineNanos;

  DeadlineMonitor(java.time.Duration within) {
    this.deadlineNanos = System.nanoTime() + within.toNanos();
  }

  boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  @Override
  public boolean isCancelled() {
    return expired();
  }

  @Override
  public void start(int totalTasks) {}

  @Override
  public void beginTask(String title, int totalWork) {}

  @Override
  public void update(int completed) {}

  @Override
  public void endTask() {}

  @Override
  public void showDuration(boolean enabled) {}
}
