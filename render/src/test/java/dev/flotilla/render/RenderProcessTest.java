package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runner under every Helm and Kustomize render: a deadline that kills the whole process
 * tree, output bounded while it streams, pipes drained so that nothing deadlocks.
 */
class RenderProcessTest {

  @TempDir Path dir;

  /** A short deadline for what hangs; what ends gets a minute, so a busy machine is no failure. */
  static final RenderLimits LIMITS =
      RenderLimits.DEFAULT.withMaxFileBytes(1 << 20).withRenderTimeout(Duration.ofSeconds(60));

  static final RenderLimits SHORT = LIMITS.withRenderTimeout(Duration.ofSeconds(2));

  RenderProcess.Output run(String script) throws RenderException {
    return run(script, LIMITS);
  }

  RenderProcess.Output run(String script, RenderLimits limits) throws RenderException {
    return RenderProcess.run(
        List.of("/bin/sh", "-c", script), dir, Map.of(), null, "test render", limits);
  }

  @Test
  void endlessOutputIsRefusedAsSoonAsItPassesTheLimit() {
    // `yes` never ends: only a reader that counts while it streams can refuse it, and well before
    // the deadline (the timeout would say "timed out" instead).
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> run("exec yes flotilla"))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("test render wrote more than 1048576 bytes")
                .hasMessageContaining("split it into smaller Applications"));
    ChildProcesses.assertNoneLeft("yes");
  }

  @Test
  void aProcessThatNeverEndsIsKilledAtTheDeadlineWithEverythingItStarted() {
    // The shell starts a grandchild that inherits the pipes and would hold them open for ever.
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () ->
            assertThatThrownBy(() -> run("sleep 3600 & sleep 3601; echo never", SHORT))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("test render timed out after 2s and was stopped")
                .hasMessageContaining("--render-timeout"));
    ChildProcesses.assertNoneLeft("sleep");
  }

  @Test
  void aFloodOnStderrDoesNotBlockTheToolOrTheReader() throws Exception {
    // 4 MB on stderr fills its pipe many times over: it must be drained while stdout is read.
    RenderProcess.Output out = run("head -c 4000000 /dev/zero >&2; echo done; exit 3");

    assertThat(out.exitCode()).isEqualTo(3);
    assertThat(new String(out.stdout(), StandardCharsets.UTF_8)).isEqualTo("done\n");
    assertThat(out.stderr()).hasSize(RenderProcess.STDERR_KEPT);
  }

  @Test
  void stdinIsFedAndOutputWithinTheLimitIsReturnedWhole() throws Exception {
    RenderProcess.Output out =
        RenderProcess.run(
            List.of("/bin/cat"),
            dir,
            Map.of(),
            "x".repeat(300_000).getBytes(StandardCharsets.UTF_8),
            "cat",
            LIMITS);

    assertThat(out.exitCode()).isZero();
    assertThat(out.stdout()).hasSize(300_000);
  }

  @Test
  void aToolThatCannotStartIsNamed() {
    assertThatThrownBy(
            () ->
                RenderProcess.run(
                    List.of("/nonexistent/kubectl"),
                    dir,
                    Map.of(),
                    null,
                    "kustomize build k",
                    LIMITS))
        .hasMessageContaining("kustomize build k could not start /nonexistent/kubectl");
  }

  @Test
  void theToolGetsTheGivenEnvironment() throws Exception {
    RenderProcess.Output out =
        RenderProcess.run(
            List.of("/bin/sh", "-c", "echo $GOMEMLIMIT"),
            dir,
            Map.of("GOMEMLIMIT", "512MiB"),
            null,
            "env",
            LIMITS);

    assertThat(new String(out.stdout(), StandardCharsets.UTF_8)).isEqualTo("512MiB\n");
  }

  @Test
  void aToolKilledByAnotherHandSaysSo() throws Exception {
    // What the kernel's OOM killer does to a render in a container at its memory limit.
    RenderProcess.Output out = run("kill -9 $$");

    assertThat(RenderProcess.failed("helm template of charts/c", out))
        .hasMessageContaining("helm template of charts/c was killed by signal 9 (out of memory?");
    assertThat(RenderProcess.failed("x", run("echo oops >&2; exit 1")))
        .hasMessage("x failed: oops");
  }

  @Test
  void timeoutsAreWrittenInSeconds() {
    assertThat(RenderProcess.seconds(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(RenderProcess.seconds(Duration.ofMillis(1500))).isEqualTo("1.5s");
  }
}
