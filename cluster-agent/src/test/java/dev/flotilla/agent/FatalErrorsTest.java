package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent thread dying of a VirtualMachineError ends the process instead of leaving a zombie. */
class FatalErrorsTest {

  private final ConcurrentLinkedQueue<Integer> halts = new ConcurrentLinkedQueue<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final FatalErrors fatal =
      new FatalErrors(halts::add, new PrintStream(log, true, StandardCharsets.UTF_8));

  @Test
  void anOutOfMemoryErrorInAThreadHaltsWithANonZeroStatusAndOneLine() {
    Thread reconcile = new Thread(() -> {}, "reconcile-1");
    fatal.uncaughtException(reconcile, new OutOfMemoryError("Java heap space"));
    assertThat(halts).containsExactly(FatalErrors.EXIT_STATUS);
    assertThat(log.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "flotilla agent: fatal java.lang.OutOfMemoryError in thread reconcile-1; exiting so"
                + " that the agent is restarted");
  }

  @Test
  void aFatalErrorWrappedInAnotherExceptionStillHalts() {
    fatal.uncaughtException(
        Thread.currentThread(), new IllegalStateException("render", new StackOverflowError()));
    assertThat(halts).containsExactly(FatalErrors.EXIT_STATUS);
  }

  @Test
  void anOrdinaryExceptionIsPrintedAndDoesNotHalt() {
    fatal.uncaughtException(Thread.currentThread(), new IllegalStateException("boom"));
    assertThat(halts).isEmpty();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("IllegalStateException: boom");
  }

  @Test
  void aGuardedPeriodicTaskHaltsOnOutOfMemoryAndSurvivesOrdinaryFailures() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      java.util.concurrent.atomic.AtomicInteger runs =
          new java.util.concurrent.atomic.AtomicInteger();
      scheduler.scheduleWithFixedDelay(
          fatal.guard(
              "tick",
              () -> {
                int n = runs.incrementAndGet();
                if (n == 1) {
                  throw new IllegalStateException("one bad tick");
                }
                if (n == 3) {
                  throw new OutOfMemoryError("simulated");
                }
              }),
          0,
          10,
          TimeUnit.MILLISECONDS);
      // Without the guard the first exception would have cancelled the schedule silently.
      await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
      assertThat(runs.get()).isGreaterThanOrEqualTo(3);
      assertThat(halts).first().isEqualTo(FatalErrors.EXIT_STATUS);
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * A real JVM running the agent's reconcile queue on its worker threads: a reconcile throwing
   * OutOfMemoryError ends the process with {@link FatalErrors#EXIT_STATUS}.
   */
  @Test
  void aReconcileThrowingOutOfMemoryErrorEndsTheAgentProcess(@TempDir Path tmp) throws Exception {
    Path stderr = tmp.resolve("stderr");
    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    OutOfMemoryChild.class.getName()))
            .redirectError(stderr.toFile())
            .redirectOutput(tmp.resolve("stdout").toFile())
            .start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      assertThat(child.exitValue())
          .as("exit status; stderr: %s", Files.readString(stderr))
          .isEqualTo(FatalErrors.EXIT_STATUS);
      assertThat(Files.readString(stderr))
          .contains("fatal java.lang.OutOfMemoryError in thread reconcile-1");
    } finally {
      child.destroyForcibly();
    }
  }
}
