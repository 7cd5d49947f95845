package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.StreamProblem;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.Upsert;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Assignments larger than gRPC's 4 MiB default, over real gRPC on loopback Netty (the in-process
 * transport enforces no message size): they used to put the agent into an endless reconnect loop
 * while its Applications showed Synced.
 */
class ClusterAgentLargeAssignmentMockTest extends AgentMockTestBase {

  private static final int MB = 1000 * 1000;

  @Test
  void oneApplicationOf4Point5MbIsReceivedAndApplied() {
    Assignment big = rig.web("big", "demo", 1, 4_500_000);
    assertThat(big.getSerializedSize()).isGreaterThan(4 * 1024 * 1024);
    rig.snapshotOnHello(big);

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      awaitSynced(Set.of("big"));
      assertThat(rig.greeting().getData()).containsEntry("hello", "world");
      assertThat(problems()).as("nothing went wrong on the agent's side").isEmpty();
      assertThat(persisted()).containsExactly(big);
    }
  }

  @Test
  void fortyFiveApplicationsOf100KbAreReceivedOnConnectAndAgainOnReconnect() {
    rig.snapshotOnHello(apps(1));

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      Set<String> names = IntStream.range(0, 45).mapToObj(i -> "app-" + i).collect(toSet());
      awaitSynced(names);
      awaitAcked(names, 1);

      // The control plane comes back with new generations of all 45 after the stream broke.
      rig.snapshotOnHello(apps(2));
      rig.dropAgent();
      awaitAcked(names, 2);
      awaitSynced(names);
      assertThat(problems()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(persisted())
                      .as("the 4.5 MB state survives a restart from its ConfigMap")
                      .hasSize(45)
                      .allSatisfy(a -> assertThat(a.getGeneration()).isEqualTo(2)));
    }
  }

  @Test
  void aMessageOverTheLimitIsAnErrorReportedUpstreamNotASilentLoop() {
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      awaitSynced(Set.of("web"));

      // 20 MB in one upsert: more than any Application the control plane lets through.
      rig.send(
          ControlMessage.newBuilder()
              .setUpsert(Upsert.newBuilder().setAssignment(rig.web("huge", "demo", 5, 20 * MB)))
              .build());

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(problems())
                      .as("reported after the agent reconnected")
                      .anySatisfy(
                          p -> {
                            assertThat(p.getCode()).isEqualTo("RESOURCE_EXHAUSTED");
                            assertThat(p.getMessage())
                                .contains("cannot take")
                                .contains("exceeds maximum size");
                          }));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(problems().get(problems().size() - 1).getMessage())
                      .as("cleared once a complete snapshot arrived again")
                      .isEmpty());
      assertThat(agent.isConnected()).isTrue();
    }
  }

  @Test
  void aStreamedSnapshotCutShortIsDiscardedAndTheAssignmentsHeldStay() {
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      awaitAcked(Set.of("web"), 1);

      // Half a snapshot that would replace "web" by 45 others, then the stream breaks.
      List<ControlMessage> parts =
          dev.flotilla.proto.SnapshotChunks.of(
              apps(1), List.of(), dev.flotilla.proto.AgentLimits.SNAPSHOT_CHUNK_BYTES);
      assertThat(parts.size()).isGreaterThan(3);
      parts.subList(0, 2).forEach(rig::send);
      rig.dropAgent();

      // The reconnect's snapshot ("web" again) is acked: everything before it was handled.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  rig.received().stream()
                          .filter(AgentMessage::hasAck)
                          .filter(m -> m.getAck().getApplication().equals("web"))
                          .count()
                      >= 2);
      assertThat(rig.received())
          .as("no assignment of the partial snapshot was taken")
          .filteredOn(AgentMessage::hasAck)
          .extracting(m -> m.getAck().getApplication())
          .containsOnly("web");
      assertThat(persisted()).extracting(Assignment::getName).containsExactly("web");
    }
  }

  private List<Assignment> apps(long generation) {
    return IntStream.range(0, 45)
        .mapToObj(i -> rig.web("app-" + i, "ns-" + i, generation, 100_000))
        .toList();
  }

  /** What a restarted agent would read back from its ConfigMap. */
  private List<Assignment> persisted() {
    return new AssignmentStore(
            new ConfigMapAssignmentBackend(
                rig.client(),
                "flotilla-agent",
                ConfigMapAssignmentBackend.nameFor(AgentTestRig.CLUSTER)))
        .all();
  }

  private List<StreamProblem> problems() {
    return rig.received().stream()
        .filter(AgentMessage::hasStreamProblem)
        .map(AgentMessage::getStreamProblem)
        .toList();
  }

  private void awaitSynced(Set<String> names) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        rig.received().stream()
                            .filter(AgentMessage::hasStatuses)
                            .flatMap(m -> m.getStatuses().getStatusesList().stream())
                            .filter(s -> s.getSyncStatus() == SyncStatus.SYNC_STATUS_SYNCED)
                            .map(ApplicationStatus::getApplication)
                            .collect(toSet()))
                    .containsAll(names));
  }

  private void awaitAcked(Set<String> names, long generation) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        rig.received().stream()
                            .filter(AgentMessage::hasAck)
                            .filter(m -> m.getAck().getGeneration() == generation)
                            .map(m -> m.getAck().getApplication())
                            .collect(toSet()))
                    .containsAll(names));
  }

  private static <T> java.util.stream.Collector<T, ?, Set<T>> toSet() {
    return Collectors.toSet();
  }
}
