package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.drift.DriftScope;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AckBatch;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.Heartbeat;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.StatusBatch;
import dev.flotilla.proto.agent.v1.StoredStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once delivery at the control plane's end of the agent stream, against a real database:
 * nothing the agent sends while it authenticates is lost, each status stored is acknowledged (and
 * one whose write failed is not), a late redelivery never replaces a newer status, and acks of
 * assignments sent again are stored.
 *
 * <p>The agent end is this test calling the service's inbound observer directly, so the order of
 * events (hello, messages, end of authentication) is exactly the one written here.
 */
class AgentDeliveryIT {

  private static final String CLUSTER = "east";
  private static final String APP = "web-east";

  @TempDir Path home;
  private ControlPlane cp;
  private AgentService service;
  private String token;
  private final Agent agent = new Agent();

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    token = JoinTokens.newToken();
    get(
        cp.clusters()
            .insert(CLUSTER, "https://east.example", Map.of(), Map.of(), JoinTokens.hash(token)));
    get(
        cp.controller()
            .apply(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: ApplicationSet
                metadata:
                  name: web
                spec:
                  generators:
                    - list:
                        elements:
                          - {cluster: east}
                  template:
                    metadata:
                      name: 'web-{{cluster}}'
                    spec:
                      project: default
                      source:
                        repoURL: https://example.invalid/repo.git
                        path: web
                      destination:
                        name: '{{cluster}}'
                        namespace: web
                """));
    assertThat(get(cp.applications().listViews(APP))).hasSize(1);
    ApplicationEvents events = new ApplicationEvents();
    service =
        new AgentService(
            cp.clusters(),
            cp.applications(),
            cp.dispatcher(),
            cp.drift(),
            cp.driftFeed(),
            new ProjectGate(cp.projects(), cp.clusters()),
            events,
            new AgentLiveness(
                cp.vertx(), Clock.systemUTC(), cp.clusters(), cp.dispatcher(), events),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void aDriftEventAndAStatusSentWhileTheAgentAuthenticatesAreStoredOnceItIs() throws Exception {
    StreamObserver<AgentMessage> inbound;
    try (Connection sql = sql()) {
      // Authentication reads the clusters table: it waits until this transaction ends.
      sql.setAutoCommit(false);
      try (Statement s = sql.createStatement()) {
        s.execute("LOCK TABLE clusters IN ACCESS EXCLUSIVE MODE");
      }
      inbound = service.connect(agent);
      inbound.onNext(hello(token));
      await().atMost(Duration.ofSeconds(20)).until(() -> waitingForLock(sql), waiting -> waiting);
      inbound.onNext(AgentMessage.newBuilder().setDrift(drift("d-1")).build());
      inbound.onNext(statuses(status(1, HealthStatus.HEALTH_STATUS_HEALTHY, 1_000)));
      assertThat(agent.received).as("nothing is sent before authentication").isEmpty();
      sql.commit();
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(get(cp.drift().recent(APP, 10, DriftScope.EVERYTHING)))
                  .as("drift stored")
                  .hasSize(1);
              assertThat(view().health()).as("status stored").isEqualTo("Healthy");
              assertThat(agent.driftAcks()).containsExactly("d-1");
              assertThat(agent.statusAcks()).containsExactly(stored(1));
            });
    assertThat(agent.received.get(0).hasWelcome()).isTrue();
    assertThat(agent.received.get(0).getWelcome().getAcknowledgesStatuses()).isTrue();
    assertThat(agent.error).isNull();
    inbound.onCompleted();
  }

  @Test
  void whatAnAgentSentWhileItsTokenWasCheckedIsDroppedWhenTheTokenIsWrong() throws Exception {
    StreamObserver<AgentMessage> inbound;
    try (Connection sql = sql()) {
      sql.setAutoCommit(false);
      try (Statement s = sql.createStatement()) {
        s.execute("LOCK TABLE clusters IN ACCESS EXCLUSIVE MODE");
      }
      inbound = service.connect(agent);
      inbound.onNext(hello("not-the-token"));
      await().atMost(Duration.ofSeconds(20)).until(() -> waitingForLock(sql), waiting -> waiting);
      inbound.onNext(AgentMessage.newBuilder().setDrift(drift("d-1")).build());
      inbound.onNext(statuses(status(1, HealthStatus.HEALTH_STATUS_HEALTHY, 1_000)));
      sql.commit();
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> agent.error != null);
    assertThat(Status.fromThrowable(agent.error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Status.fromThrowable(agent.error).getDescription())
        .isEqualTo("cluster 'east': invalid, unknown or revoked token");
    assertThat(agent.received).isEmpty();
    assertThat(get(cp.drift().recent(APP, 10, DriftScope.EVERYTHING))).isEmpty();
    assertThat(view().observedAt()).as("no status stored").isNull();
  }

  @Test
  void pastItsBoundWhatAnAgentSendsWhileItAuthenticatesIsDroppedAndTheStreamStillWorks()
      throws Exception {
    StreamObserver<AgentMessage> inbound;
    try (Connection sql = sql()) {
      sql.setAutoCommit(false);
      try (Statement s = sql.createStatement()) {
        s.execute("LOCK TABLE clusters IN ACCESS EXCLUSIVE MODE");
      }
      inbound = service.connect(agent);
      inbound.onNext(hello(token));
      await().atMost(Duration.ofSeconds(20)).until(() -> waitingForLock(sql), waiting -> waiting);
      for (int i = 0; i < AgentService.MAX_EARLY_MESSAGES; i++) {
        inbound.onNext(
            AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(i))
                .build());
      }
      inbound.onNext(AgentMessage.newBuilder().setDrift(drift("d-1")).build());
      sql.commit();
    }
    // Sent before the Welcome, the status would be one more early message past the bound.
    await().atMost(Duration.ofSeconds(20)).until(() -> !agent.received.isEmpty());

    // Handled after everything kept: once it is acknowledged, the kept messages were handled.
    inbound.onNext(statuses(status(1, HealthStatus.HEALTH_STATUS_HEALTHY, 1_000)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(agent.statusAcks()).containsExactly(stored(1)));
    assertThat(agent.driftAcks()).as("one past the bound: dropped").isEmpty();
    assertThat(get(cp.drift().recent(APP, 10, DriftScope.EVERYTHING))).isEmpty();

    // Not acknowledged, so the agent sends it again.
    inbound.onNext(AgentMessage.newBuilder().setDrift(drift("d-1")).build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(agent.driftAcks()).containsExactly("d-1"));
    assertThat(get(cp.drift().recent(APP, 10, DriftScope.EVERYTHING))).hasSize(1);
    assertThat(agent.error).isNull();
  }

  @Test
  void aStatusWhoseWriteFailedIsNotAcknowledgedAndIsStoredWhenSentAgain() throws Exception {
    try (Connection sql = sql();
        Statement s = sql.createStatement()) {
      // The next write of a status fails, once (a sequence is not rolled back with the write).
      s.execute("CREATE SEQUENCE status_fault");
      s.execute(
          "CREATE FUNCTION status_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " IF nextval('status_fault') = 1 THEN"
              + " RAISE EXCEPTION 'injected fault: status write fails once'; END IF;"
              + " RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER status_fault BEFORE INSERT OR UPDATE ON application_status"
              + " FOR EACH ROW EXECUTE FUNCTION status_fault()");
    }
    StreamObserver<AgentMessage> inbound = connected();
    AgentMessage report = statuses(status(7, HealthStatus.HEALTH_STATUS_HEALTHY, 1_000));

    inbound.onNext(report);
    await().atMost(Duration.ofSeconds(20)).until(this::faultFired, fired -> fired);
    assertThat(view().observedAt()).as("the write failed").isNull();

    // What the agent does with a status not acknowledged: send it again.
    inbound.onNext(report);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(agent.statusAcks()).contains(stored(7)));
    assertThat(agent.statusAcks())
        .as("the failed write is not acknowledged, the stored one once")
        .containsExactly(stored(7));
    assertThat(view().health()).isEqualTo("Healthy");
  }

  @Test
  void aLateRedeliveryOfAnOlderStatusOfTheSameGenerationDoesNotReplaceANewerOne() throws Exception {
    StreamObserver<AgentMessage> inbound = connected();
    inbound.onNext(statuses(status(2, HealthStatus.HEALTH_STATUS_HEALTHY, 2_000)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(agent.statusAcks()).containsExactly(stored(2)));

    inbound.onNext(statuses(status(1, HealthStatus.HEALTH_STATUS_PROGRESSING, 1_000)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(agent.statusAcks())
                    .as("recognised as older: acknowledged, sending it again changes nothing")
                    .containsExactly(stored(2), stored(1)));
    assertThat(view().health()).isEqualTo("Healthy");

    inbound.onNext(statuses(status(2, HealthStatus.HEALTH_STATUS_HEALTHY, 2_000)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(agent.statusAcks()).hasSize(3));
    assertThat(view().health()).as("the same status again is stored again").isEqualTo("Healthy");
  }

  @Test
  void assignmentsAcknowledgedAgainInABatchAreStored() throws Exception {
    long generation = view().generation();
    StreamObserver<AgentMessage> inbound = connected();
    inbound.onNext(
        AgentMessage.newBuilder()
            .setAcks(
                AckBatch.newBuilder()
                    .addAcks(Ack.newBuilder().setApplication(APP).setGeneration(generation))
                    .addAcks(Ack.newBuilder().setApplication("not-ours").setGeneration(99)))
            .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(view().ackedGeneration()).isEqualTo(generation));
  }

  /**
   * A batch is stored in one statement: an Application named twice keeps the higher generation,
   * whatever the order, and a lower ack never lowers what is stored.
   */
  @Test
  void aBatchNamingAnApplicationTwiceStoresItsHighestGeneration() throws Exception {
    long generation = view().generation();
    StreamObserver<AgentMessage> inbound = connected();
    inbound.onNext(
        AgentMessage.newBuilder()
            .setAcks(
                AckBatch.newBuilder()
                    .addAcks(Ack.newBuilder().setApplication(APP).setGeneration(generation + 2))
                    .addAcks(Ack.newBuilder().setApplication(APP).setGeneration(generation)))
            .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(view().ackedGeneration()).isEqualTo(generation + 2));
    inbound.onNext(
        AgentMessage.newBuilder()
            .setAck(Ack.newBuilder().setApplication(APP).setGeneration(generation + 1))
            .build());
    inbound.onNext(
        AgentMessage.newBuilder()
            .setAcks(
                AckBatch.newBuilder()
                    .addAcks(Ack.newBuilder().setApplication(APP).setGeneration(generation + 3)))
            .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(view().ackedGeneration()).isEqualTo(generation + 3));
  }

  /** An authenticated stream, its Welcome received. */
  private StreamObserver<AgentMessage> connected() {
    StreamObserver<AgentMessage> inbound = service.connect(agent);
    inbound.onNext(hello(token));
    await().atMost(Duration.ofSeconds(20)).until(() -> !agent.received.isEmpty());
    assertThat(agent.received.get(0).hasWelcome()).isTrue();
    return inbound;
  }

  private Connection sql() throws SQLException {
    var options = cp.database().connectOptions();
    return DriverManager.getConnection(
        cp.database().jdbcUrl(), options.getUser(), options.getPassword());
  }

  /** Whether another session waits for a lock this one holds (authentication, here). */
  private static boolean waitingForLock(Connection holder) throws SQLException {
    try (Statement s = holder.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  private boolean faultFired() throws SQLException {
    try (Connection sql = sql();
        Statement s = sql.createStatement();
        ResultSet r = s.executeQuery("SELECT is_called FROM status_fault")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  private ApplicationView view() throws Exception {
    return get(cp.applications().listViews(APP)).get(0);
  }

  private static Hello.Builder helloBuilder() {
    return Hello.newBuilder().setCluster(CLUSTER).setAgentVersion("test");
  }

  private static AgentMessage hello(String token) {
    return AgentMessage.newBuilder().setHello(helloBuilder().setToken(token)).build();
  }

  private static ApplicationStatus status(long sequence, HealthStatus health, long observedAt) {
    return ApplicationStatus.newBuilder()
        .setApplication(APP)
        .setGeneration(1)
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setHealth(health)
        .setObservedAtUnixMs(observedAt)
        .setSequence(sequence)
        .build();
  }

  private static AgentMessage statuses(ApplicationStatus... statuses) {
    return AgentMessage.newBuilder()
        .setStatuses(StatusBatch.newBuilder().addAllStatuses(List.of(statuses)))
        .build();
  }

  private static StoredStatus stored(long sequence) {
    return StoredStatus.newBuilder().setApplication(APP).setSequence(sequence).build();
  }

  private static DriftEvent drift(String id) {
    return DriftEvent.newBuilder()
        .setId(id)
        .setApplication(APP)
        .setResource(
            ResourceStatus.newBuilder()
                .setVersion("v1")
                .setKind("ConfigMap")
                .setNamespace("web")
                .setName("config"))
        .addFields(
            FieldDiff.newBuilder().setPath("/data/greeting").setDesired("\"a\"").setLive("\"b\""))
        .setDetectedAtUnixMs(1_000)
        .build();
  }

  /** The agent's end of the stream: what the control plane sent it, and how it ended. */
  private static final class Agent implements StreamObserver<ControlMessage> {
    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    volatile Throwable error;

    @Override
    public void onNext(ControlMessage message) {
      received.add(message);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    List<StoredStatus> statusAcks() {
      return received.stream()
          .filter(ControlMessage::hasStatusAck)
          .flatMap(m -> m.getStatusAck().getStatusesList().stream())
          .toList();
    }

    List<String> driftAcks() {
      return received.stream()
          .filter(ControlMessage::hasDriftAck)
          .flatMap(m -> m.getDriftAck().getIdsList().stream())
          .toList();
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
