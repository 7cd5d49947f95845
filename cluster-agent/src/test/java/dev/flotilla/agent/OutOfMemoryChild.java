package dev.flotilla.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs in a child JVM for {@link FatalErrorsTest}: the agent's reconcile queue on its named worker
 * threads, with a reconcile that throws OutOfMemoryError. Exits 0 when the process survived it (the
 * zombie the test must never see).
 */
public final class OutOfMemoryChild {

  private OutOfMemoryChild() {}

  public static void main(String[] args) throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(1, ClusterAgent.named("reconcile"));
    ReconcileQueue queue =
        new ReconcileQueue(
            workers,
            application -> {
              throw new OutOfMemoryError("simulated in reconcile of " + application);
            });
    queue.submit("web");
    // Only reached if the worker's death did not end the process.
    workers.awaitTermination(20, TimeUnit.SECONDS);
    System.exit(0);
  }
}
