package dev.flotilla.core.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a command's main thread until Ctrl-C (or SIGTERM), then lets it close what it started
 * before the JVM exits: the shutdown hook waits for {@link #finished()} instead of letting the JVM
 * halt mid-cleanup.
 */
public final class UntilInterrupted {

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  public UntilInterrupted(String name) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    closed.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                name + "-shutdown"));
  }

  /** Returns when the process is asked to stop. */
  public void await() throws InterruptedException {
    stop.await();
  }

  /** Wakes {@link #await()} as if the process had been asked to stop (a fatal error, say). */
  public void release() {
    stop.countDown();
  }

  /** Tells the shutdown hook that cleanup is done and the JVM may exit. */
  public void finished() {
    closed.countDown();
  }
}
