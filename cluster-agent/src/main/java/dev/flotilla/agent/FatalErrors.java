package dev.flotilla.agent;

import java.io.PrintStream;

/**
 * Ends the process on a {@link VirtualMachineError} (out of memory, stack overflow, internal error)
 * in any agent thread. Such an error kills only the thread it happens in: without this the agent
 * lives on as a zombie whose scheduler or workers are gone, while the control plane still shows its
 * last statuses. Exiting lets Kubernetes (or any supervisor) start a fresh one; the agent's JVM
 * also runs with {@code -XX:+ExitOnOutOfMemoryError} for allocations that fail outside our threads.
 *
 * <p>Halts rather than exits: shutdown hooks may need memory or the very thread that died.
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {

  /** The exit status of a halt on a fatal error. */
  public static final int EXIT_STATUS = 3;

  /** Stops the JVM at once; replaced in tests. */
  @FunctionalInterface
  public interface Halter {
    void halt(int status);
  }

  private static final FatalErrors PROCESS =
      new FatalErrors(status -> Runtime.getRuntime().halt(status), System.err);

  private final Halter halter;
  private final PrintStream log;

  FatalErrors(Halter halter, PrintStream log) {
    this.halter = halter;
    this.log = log;
  }

  /** The handler that halts this JVM. */
  public static FatalErrors process() {
    return PROCESS;
  }

  /** Makes {@link #process()} the handler of every thread that has none of its own. */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler(PROCESS);
  }

  /** Whether {@code t}, or anything that caused it, means the JVM can no longer be trusted. */
  static boolean isFatal(Throwable t) {
    for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof VirtualMachineError) {
        return true;
      }
    }
    return false;
  }

  /**
   * Halts when {@code t} is fatal (returning true only with a test's halter); returns false
   * otherwise so the caller can log and carry on.
   */
  public boolean haltIfFatal(Thread thread, Throwable t) {
    if (!isFatal(t)) {
      return false;
    }
    try {
      // One short line: printing a stack trace may itself need memory we do not have.
      log.println(
          "flotilla agent: fatal "
              + t.getClass().getName()
              + " in thread "
              + thread.getName()
              + "; exiting so that the agent is restarted");
      log.flush();
    } finally {
      halter.halt(EXIT_STATUS);
    }
    return true;
  }

  @Override
  public void uncaughtException(Thread thread, Throwable t) {
    if (haltIfFatal(thread, t)) {
      return;
    }
    // Not fatal: what the JVM prints by default.
    log.print("Exception in thread \"" + thread.getName() + "\" ");
    t.printStackTrace(log);
  }

  /**
   * {@code task} for a scheduled executor: a periodic task that throws is cancelled silently by the
   * executor, so a fatal error halts here and anything else is logged and swallowed to keep the
   * schedule going.
   */
  public Runnable guard(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        if (haltIfFatal(Thread.currentThread(), t)) {
          return;
        }
        org.slf4j.LoggerFactory.getLogger(FatalErrors.class).warn("{} failed", what, t);
      }
    };
  }
}
