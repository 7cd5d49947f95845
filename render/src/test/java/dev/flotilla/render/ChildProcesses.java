package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** What the test JVM still has running below it, to prove a render left nothing behind. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** Descendants of this JVM whose program is {@code name} or whose arguments mention it. */
  static List<String> named(String name) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)
                    || p.info()
                        .arguments()
                        .map(a -> Arrays.stream(a).anyMatch(arg -> arg.contains(name)))
                        .orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList();
  }

  /** Waits a little (a killed process is reaped asynchronously), then insists none is left. */
  static void assertNoneLeft(String name) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(named(name)).as("processes left running").isEmpty());
  }
}
