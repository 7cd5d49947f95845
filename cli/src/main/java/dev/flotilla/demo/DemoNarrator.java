package dev.flotilla.demo;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.git.LocalRepository;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Tells the demo's user what their change did and how long it took: each new commit on the demo
 * repository's {@code main} is followed until every Application is Synced at it, and the demo
 * prints the delay and the Applications it added. Runs on a thread of its own and reads the control
 * plane through its services, as any client would; it changes nothing.
 */
public final class DemoNarrator implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration GIVE_UP = Duration.ofMinutes(2);

  private final Path repo;
  private final Callable<List<ApplicationView>> applications;
  private final PrintStream out;
  private final Thread thread;
  private final Runnable onApplied;
  private volatile boolean closed;

  /**
   * @param onApplied called when a commit has reached every cluster
   */
  DemoNarrator(
      Path repo,
      Callable<List<ApplicationView>> applications,
      PrintStream out,
      Runnable onApplied) {
    this.repo = repo;
    this.applications = applications;
    this.out = out;
    this.onApplied = onApplied;
    this.thread = new Thread(this::run, "demo-narrator");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      String seen = head().orElse("");
      Set<String> known = names(applications.call());
      while (!closed) {
        Thread.sleep(POLL.toMillis());
        String now = head().orElse(seen);
        if (!now.equals(seen)) {
          seen = now;
          known = follow(now, known);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!closed) {
        out.println("(the demo stopped following commits: " + e.getMessage() + ")");
      }
    }
  }

  /** Waits for every Application to be Synced at {@code commit}; returns the names then known. */
  private Set<String> follow(String commit, Set<String> before) throws Exception {
    long noticed = System.nanoTime();
    String sha = commit.substring(0, 8);
    out.printf("==> new commit %s on main: following it to every cluster…%n", sha);
    while (!closed) {
      List<ApplicationView> views = applications.call();
      long done =
          views.stream()
              .filter(v -> commit.equals(v.revision()) && v.isSyncedAtCurrentGeneration())
              .count();
      Optional<String> newer = head().filter(h -> !h.equals(commit));
      if (!views.isEmpty() && done == views.size()) {
        Set<String> added = new TreeSet<>(names(views));
        added.removeAll(before);
        Set<String> clusters =
            views.stream()
                .map(ApplicationView::cluster)
                .collect(Collectors.toCollection(TreeSet::new));
        out.printf(
            "==> commit %s: all %d Applications Synced on %d clusters %.1f s after the demo saw"
                + " it%s%n",
            sha,
            views.size(),
            clusters.size(),
            (System.nanoTime() - noticed) / 1e9,
            added.isEmpty() ? "" : " (new: " + String.join(", ", added) + ")");
        onApplied.run();
        return names(views);
      }
      if (newer.isPresent() || System.nanoTime() - noticed > GIVE_UP.toNanos()) {
        out.printf(
            "==> commit %s: %d of %d Applications Synced at it when the demo stopped waiting%s%n",
            sha,
            done,
            views.size(),
            newer.isPresent() ? " (a newer commit arrived)" : "; see ./flotilla app list");
        return names(views);
      }
      Thread.sleep(POLL.toMillis());
    }
    return before;
  }

  private Optional<String> head() throws Exception {
    return LocalRepository.head(repo, "main");
  }

  private static Set<String> names(List<ApplicationView> views) {
    return views.stream().map(ApplicationView::name).collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
