package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla server} reads its Git credentials and timeout before anything starts: a bad file
 * or flag stops it at once, naming what is wrong and never a password.
 */
class ServerCommandGitTest {

  @TempDir Path dir;

  private static void refusedBeforeStarting(ServerRunner.Run run, String... messages) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(messages);
    assertThat(run.out()).doesNotContain("starting");
  }

  @Test
  void aMissingCredentialsFileIsNamed() {
    Path missing = dir.resolve("no-such-credentials.yaml");
    refusedBeforeStarting(
        ServerRunner.run("server", "--http-port", "0", "--git-credentials", missing.toString()),
        "Git credentials file " + missing,
        "does not exist");
  }

  @Test
  void anInvalidEntryIsNamedWithoutItsPassword() throws Exception {
    Path file = dir.resolve("git-credentials.yaml");
    Files.writeString(
        file,
        "credentials:\n  - urlPrefix: https://git.example.com/\n    password: hunter2-secret\n");
    ServerRunner.Run run =
        ServerRunner.run("server", "--http-port", "0", "--git-credentials", file.toString());
    refusedBeforeStarting(run, file.toString(), "needs username and password");
    assertThat(run.err()).doesNotContain("hunter2-secret");
  }

  @Test
  void aTimeoutBelowOneSecondIsRefusedNamingTheFlag() {
    refusedBeforeStarting(
        ServerRunner.run("server", "--http-port", "0", "--git-timeout", "500ms"),
        "--git-timeout must be at least one second");
  }
}
