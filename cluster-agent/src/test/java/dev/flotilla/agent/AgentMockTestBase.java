package dev.flotilla.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up every whole-agent MockTest shares: a fresh {@link AgentTestRig} (mock API server, Git
 * repository, fake control plane) under a temporary directory of the test's own, closed after each
 * test.
 */
abstract class AgentMockTestBase {

  @TempDir Path tmp;
  AgentTestRig rig;

  @BeforeEach
  void startRig() throws Exception {
    rig = new AgentTestRig(tmp);
  }

  @AfterEach
  void stopRig() {
    rig.close();
  }
}
