package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running control plane, as a user types it. */
class CliIT {

  @TempDir Path home;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private CliRunner.Run run(String... args) {
    return CliRunner.run(args);
  }

  private String[] api(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api";
    all[args.length + 1] = "http://127.0.0.1:" + cp.httpPort();
    all[args.length + 2] = "--token";
    all[args.length + 3] = cp.adminToken().value();
    return all;
  }

  @Test
  void clusterAddPrintsATokenOnceAndListShowsTheCluster() {
    CliRunner.Run add =
        run(api("cluster", "add", "prod-eu", "--label", "env=prod", "--label", "region=eu"));
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).contains("join token").containsPattern("flt_[A-Za-z0-9_-]{40,}");

    CliRunner.Run list = run(api("cluster", "list"));
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .contains("prod-eu")
        .contains("env=prod,region=eu")
        .contains("disconnected");

    CliRunner.Run again = run(api("cluster", "add", "prod-eu"));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already registered");
    assertThat(again.out()).isEmpty();
  }

  @Test
  void aMissingServerIsExplained() {
    CliRunner.Run list = run("cluster", "list", "--api", "http://127.0.0.1:1");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.err()).contains("cannot reach the control plane").contains("flotilla server");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"--help"},
          {"server", "--help"},
          {"agent", "--help"},
          {"cluster", "add", "--help"},
          {"cluster", "list", "--help"},
          {"demo", "--help"},
          {"appset", "generate", "--help"}
        }) {
      CliRunner.Run r = run(cmd);
      assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).contains("Usage:");
    }
  }

  @Test
  void anAgentWithoutTokenSaysWhatToDo() {
    CliRunner.Run r = run("agent", "--control-plane", "127.0.0.1:1", "--cluster", "x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--token").contains("FLOTILLA_AGENT_TOKEN");
  }
}
