package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.StreamProblem;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large assignments between the real control plane (Postgres, generation, dispatch) and an agent
 * end over Netty on loopback, with an agent's message size limit: generation bounds each
 * Application, snapshots stream in chunks, and what an agent reports it could not take shows on its
 * cluster.
 */
class AgentSnapshotIT {

  private static final String CLUSTER = "big";

  @TempDir Path home;
  private ControlPlane cp;
  private String token;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    token = JoinTokens.newToken();
    get(
        cp.clusters()
            .insert(CLUSTER, "https://big.example", Map.of(), Map.of(), JoinTokens.hash(token)));
    // What the agent's channel takes (ControlPlaneConnection.channel).
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", cp.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(AgentLimits.MAX_MESSAGE_BYTES)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  /**
   * An ApplicationSet of {@code names}, each Application padded by {@code copies} references to its
   * element's {@code pad} of {@code padBytes} (the big one's pad is {@code bigPadBytes}).
   */
  private static String appSet(
      List<String> names, int padBytes, String big, int bigPad, int copies) {
    String elements =
        names.stream()
            .map(
                n ->
                    "          - {app: "
                        + n
                        + ", pad: \""
                        + filler(n.equals(big) ? bigPad : padBytes)
                        + "\"}\n")
            .collect(Collectors.joining());
    String info =
        IntStream.range(0, copies)
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
                repoURL: https://example.invalid/repo.git
                path: '{{app}}'
              destination:
                name: big
                namespace: '{{app}}'
              info:
        %s"""
        .formatted(elements, info);
  }

  /** Text like generated values: compressible, but not one repeated character. */
  private static String filler(int bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append("v").append(i * 7919 % 100_003).append(' ');
    }
    return sb.substring(0, bytes);
  }

  @Test
  void aTenMegabyteApplicationIsRefusedAtGenerationAndTheOthersOfItsSetAreStored()
      throws Exception {
    List<String> names = List.of("small-a", "huge", "small-b");
    get(cp.controller().apply(appSet(names, 10, "huge", 10, 100)));
    assertThat(get(cp.applications().listByApplicationSet("large"))).hasSize(3);
    // Now huge grows to 100 copies of 100 KB = 10 MB; the others stay 100 copies of 10 bytes.
    get(cp.controller().apply(appSet(names, 10, "huge", 100_000, 100)));

    List<StoredApplication> stored = get(cp.applications().listByApplicationSet("large"));
    assertThat(stored)
        .extracting(StoredApplication::name)
        .containsExactlyInAnyOrder("small-a", "huge", "small-b");
    assertThat(stored)
        .as("the earlier, small version of huge is kept")
        .allSatisfy(a -> assertThat(a.document().encode().length()).isLessThan(20_000));
    JsonObject status = get(cp.applicationSets().get("large")).orElseThrow().status();
    assertThat(status.getJsonArray("errors").encode())
        .contains("Application huge")
        .contains("more than the limit of " + AgentLimits.MAX_APPLICATION_BYTES + " bytes")
        .contains("not stored or sent");
  }

  @Test
  void fortyFiveApplicationsOf100KbReachTheAgentInChunksUnderItsLimit() throws Exception {
    List<String> names = IntStream.range(0, 45).mapToObj(i -> "app-" + i).toList();
    get(cp.controller().apply(appSet(names, 10_000, "", 0, 10)));
    assertThat(get(cp.applications().listByApplicationSet("large"))).hasSize(45);

    Agent agent = new Agent();
    agent.connect();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.received.stream().anyMatch(ControlMessage::hasSnapshotEnd));

    // The credentials the agent needs (none here) come between the Welcome and the snapshot.
    List<ControlMessage> received =
        agent.received.stream().filter(m -> !m.hasRepositoryCredentials()).toList();
    assertThat(received.get(0).hasWelcome()).isTrue();
    assertThat(received.get(1).getSnapshotBegin().getAssignments()).isEqualTo(45);
    List<Assignment> assignments =
        received.stream()
            .filter(ControlMessage::hasSnapshotChunk)
            .flatMap(m -> m.getSnapshotChunk().getAssignmentsList().stream())
            .toList();
    assertThat(assignments).extracting(Assignment::getName).hasSameElementsAs(names);
    assertThat(assignments)
        .allSatisfy(a -> assertThat(a.getSpecJson().length()).isGreaterThan(100_000));
    assertThat(received.stream().filter(ControlMessage::hasSnapshotChunk))
        .hasSizeGreaterThan(3)
        .allSatisfy(
            m ->
                assertThat(m.getSerializedSize())
                    .isLessThan(AgentLimits.SNAPSHOT_CHUNK_BYTES + 64));
    assertThat(received.get(received.size() - 1).getSnapshotEnd().getChecksum())
        .isEqualTo(AssignmentChecksum.of(assignments));
  }

  @Test
  void whatAnAgentCouldNotTakeShowsOnItsClusterUntilItHoldsASnapshotAgain() throws Exception {
    Agent agent = new Agent();
    agent.connect();
    await().atMost(Duration.ofSeconds(30)).until(() -> !agent.received.isEmpty());

    agent.send(
        StreamProblem.newBuilder()
            .setCode("RESOURCE_EXHAUSTED")
            .setMessage("the control plane sent a message this agent cannot take (...)")
            .setAtUnixMs(System.currentTimeMillis())
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Cluster c = get(cp.clusters().get(CLUSTER)).orElseThrow();
              assertThat(c.streamProblem()).contains("cannot take");
              assertThat(c.streamProblemAt()).isNotNull();
            });

    agent.send(StreamProblem.newBuilder().setAtUnixMs(System.currentTimeMillis()).build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get(cp.clusters().get(CLUSTER)).orElseThrow().streamProblem()).isNull());
  }

  /** The agent's end of the stream, as the protocol defines it. */
  private final class Agent {
    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    private StreamObserver<AgentMessage> out;

    void connect() {
      out =
          AgentServiceGrpc.newStub(channel)
              .connect(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ControlMessage m) {
                      received.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      out.onNext(
          AgentMessage.newBuilder()
              .setHello(Hello.newBuilder().setCluster(CLUSTER).setToken(token))
              .build());
    }

    void send(StreamProblem problem) {
      out.onNext(AgentMessage.newBuilder().setStreamProblem(problem).build());
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
