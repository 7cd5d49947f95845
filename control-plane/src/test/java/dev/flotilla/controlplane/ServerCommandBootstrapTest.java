package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A malformed --bootstrap is a start-up error naming the flag and the expected form. */
class ServerCommandBootstrapTest {

  @Test
  void aMalformedBootstrapIsRefusedBeforeStarting() {
    ServerRunner.Run run =
        ServerRunner.run("server", "--http-port", "0", "--bootstrap", "https://git.example/x.git");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("error: --bootstrap 'https://git.example/x.git' is not")
        .contains("REPO_URL[@REVISION]:PATH")
        .contains("no ':PATH'");
    assertThat(run.out()).doesNotContain("starting");
  }
}
