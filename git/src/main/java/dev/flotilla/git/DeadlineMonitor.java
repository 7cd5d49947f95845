package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Cancels a clone or fetch once its deadline has passed, or once the pack it receives grows past
 * the fetch size limit. The transport timeout only bounds each wait for the server; a server that
 * trickles a byte now and then would never hit it, and one that streams a huge pack quickly would
 * fill the disk before the deadline. JGit asks {@link #isCancelled()} while it negotiates and for
 * every object it receives; the pack being received is a temporary file in the objects directory.
 */
final class DeadlineMonitor implements ProgressMonitor {

  /** How often (in objects received) the size of the incoming pack is looked at. */
  private static final int SIZE_CHECK_EVERY = 64;

  private final long deadlineNanos;
  private final Path objects;
  private final long maxBytes;
  private int sinceSizeCheck;
  private volatile boolean oversized;

  /** A deadline only. */
  DeadlineMonitor(java.time.Duration within) {
    this(within, null, Long.MAX_VALUE);
  }

  /**
   * @param objects the objects directory the pack is received into (null: size not watched)
   * @param maxBytes the most bytes the incoming pack may reach
   */
  DeadlineMonitor(java.time.Duration within, Path objects, long maxBytes) {
    this.deadlineNanos = System.nanoTime() + within.toNanos();
    this.objects = objects;
    this.maxBytes = maxBytes;
  }

  boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /** Whether the transfer was cancelled for exceeding the size limit. */
  boolean oversized() {
    return oversized;
  }

  @Override
  public boolean isCancelled() {
    return expired() || oversized;
  }

  @Override
  public void start(int totalTasks) {}

  @Override
  public void beginTask(String title, int totalWork) {}

  @Override
  public void update(int completed) {
    sinceSizeCheck += completed;
    if (objects != null && sinceSizeCheck >= SIZE_CHECK_EVERY) {
      sinceSizeCheck = 0;
      if (incomingBytes() > maxBytes) {
        oversized = true;
      }
    }
  }

  /** The size of the packs being received (JGit's "incoming_*.pack" temporary files). */
  long incomingBytes() {
    long total = 0;
    try (DirectoryStream<Path> packs = Files.newDirectoryStream(objects, "incoming_*")) {
      for (Path p : packs) {
        total += Files.size(p);
      }
    } catch (IOException e) {
      // Not there yet, or just renamed into place: nothing is growing now.
    }
    return total;
  }

  @Override
  public void endTask() {}

  @Override
  public void showDuration(boolean enabled) {}
}
