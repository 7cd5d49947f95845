package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testkit.ServerTlsBadInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code flotilla server} given a bad certificate or key stops before listening, naming it. */
class ServerCommandTlsTest {

  @TempDir static Path dir;
  private static ServerTlsBadInputs inputs;

  @BeforeAll
  static void certificates() throws IOException {
    inputs = ServerTlsBadInputs.create(dir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.flotilla.testkit.ServerTlsBadInputs#cases")
  void flotillaServerStopsBeforeListeningOnBadInput(ServerTlsBadInputs.Case c) {
    List<String> args = new ArrayList<>(List.of("server", "--http-port", "0"));
    if (c.cert() != null) {
      args.addAll(List.of("--tls-cert", inputs.file(c.cert()).toString()));
    }
    if (c.key() != null) {
      args.addAll(List.of("--tls-key", inputs.file(c.key()).toString()));
    }
    // The check comes before Postgres and the listeners: a bad file returns at once with 2.
    ServerRunner.Run run = ServerRunner.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(c.message());
    assertThat(run.out()).doesNotContain("starting");
  }
}
