package dev.flotilla.core.runtime;

import java.util.Optional;

/**
 * Keeps {@code CompletableFuture}'s asynchronous steps on a pool on small machines. With one or two
 * CPUs the JDK's common pool has a parallelism of 1, and then every {@code *Async} step given no
 * executor runs on a new thread of its own: the JDK HTTP client under the Kubernetes client does
 * that for every response, so an agent in a pod limited to 1–2 CPUs started and ended ~3 threads
 * per API request (measured: ~300 per commit across 100 simulated agents). A parallelism of 2 makes
 * the common pool used again. Call first thing in {@code main}, before anything touches the common
 * pool; an explicit {@value #PROPERTY} wins.
 */
public final class CommonPoolParallelism {

  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** The smallest parallelism at which CompletableFuture uses the common pool. */
  static final int MINIMUM = 2;

  private CommonPoolParallelism() {}

  /** Sets the common pool's parallelism when this machine would otherwise get less than 2. */
  public static void ensure() {
    choose(Runtime.getRuntime().availableProcessors(), System.getProperty(PROPERTY))
        .ifPresent(p -> System.setProperty(PROPERTY, Integer.toString(p)));
  }

  /**
   * The parallelism to set, if any: none when one is configured or the JDK's default (one less than
   * the CPUs) already reaches {@link #MINIMUM}.
   */
  static Optional<Integer> choose(int cpus, String configured) {
    if (configured != null && !configured.isBlank()) {
      return Optional.empty();
    }
    return cpus - 1 >= MINIMUM ? Optional.empty() : Optional.of(MINIMUM);
  }
}
