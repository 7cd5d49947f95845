package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.testkit.TestRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 45 Applications of 100 KB each (4.5 MB, over gRPC's 4 MiB default) reach a real agent over
 * loopback Netty when it connects and when it reconnects: this used to wedge the agent in a
 * reconnect loop.
 */
class LargeAssignmentsE2E {

  private static final List<String> NAMES =
      IntStream.range(0, 45).mapToObj(i -> "big-" + i).toList();

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/web/config.yaml", configMap("web-config", "greeting", "hello"));
    repo.commit("web");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    // Started later, so that everything arrives as the snapshot of a (re)connect.
    fleet.stopAgent("east");
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    repo.close();
  }

  /** 45 Applications of apps/web, each padded to ~100 KB with ten copies of its element's pad. */
  private String appSet(String version) {
    String pad = filler(10_000, version);
    String elements =
        NAMES.stream()
            .map(n -> "          - {app: " + n + ", pad: \"" + pad + "\"}\n")
            .collect(Collectors.joining());
    String info =
        IntStream.range(0, 10)
            .mapToObj(i -> "          - {name: note-" + i + ", value: '{{pad}}'}\n")
            .collect(Collectors.joining());
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: large
        spec:
          generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: '{{app}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/web
              destination:
                name: east
                namespace: '{{app}}'
              syncPolicy:
                automated: {}
              info:
        %s"""
        .formatted(elements, repo.url(), info);
  }

  private static String filler(int bytes, String version) {
    StringBuilder sb = new StringBuilder(version);
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append(' ').append(i * 7919 % 100_003);
    }
    return sb.substring(0, bytes);
  }

  private void awaitAllSynced() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(fleet.applications())
                    .filteredOn(ApplicationView::isSyncedAtCurrentGeneration)
                    .extracting(ApplicationView::name)
                    .containsAll(NAMES));
  }

  @Test
  void fortyFiveApplicationsOf100KbReachTheAgentOnConnectAndOnReconnect() throws Exception {
    fleet.apply(appSet("v1"));
    assertThat(fleet.applications()).hasSize(45);

    fleet.startAgent("east");
    awaitAllSynced();
    assertThat(
            fleet
                .cluster("east")
                .client()
                .configMaps()
                .inNamespace("big-44")
                .withName("web-config")
                .get())
        .isNotNull();

    // Changed while the agent is away: its reconnect gets a new 4.5 MB snapshot.
    fleet.stopAgent("east");
    fleet.apply(appSet("v2"));
    fleet.startAgent("east");
    awaitAllSynced();
    assertThat(fleet.agent("east").isConnected()).isTrue();
  }
}
