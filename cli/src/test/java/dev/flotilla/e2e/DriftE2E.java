package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.controlplane.drift.DriftReport;
import dev.flotilla.proto.api.v1.DriftReportRequest;
import dev.flotilla.proto.api.v1.DriftReportResponse;
import dev.flotilla.proto.api.v1.DriftServiceGrpc;
import dev.flotilla.proto.api.v1.DriftedResource;
import dev.flotilla.proto.api.v1.WatchDriftRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet-wide drift report end to end: a manual edit on a simulated cluster, caught by the real
 * agent, reverted by self-heal, arrives on a gRPC Watch stream over a real socket and shows in
 * Report and in {@code GET /api/v1/drift} (JSON and CSV).
 */
class DriftE2E extends OneRepoFleetE2EBase {

  private ManagedChannel channel;

  DriftE2E() {
    super("hello", "first app");
  }

  // The base starts the fleet before this and stops it after: the channel never outlives it.
  @BeforeEach
  void openChannel() {
    channel = fleet.grpcChannel();
  }

  @AfterEach
  void closeChannel() {
    channel.shutdownNow();
  }

  private DriftServiceGrpc.DriftServiceBlockingStub blocking() {
    return DriftServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(Fleet.bearer(fleet.controlPlane().adminToken().value()));
  }

  /** A Watch call whose messages and end are collected, and which the test can cancel. */
  private static final class Watch
      implements ClientResponseObserver<WatchDriftRequest, DriftedResource> {
    final List<DriftedResource> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile ClientCallStreamObserver<WatchDriftRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchDriftRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(DriftedResource value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    void cancel() {
      call.cancel("test done", null);
    }
  }

  private Watch watch(WatchDriftRequest request) {
    Watch w = new Watch();
    DriftServiceGrpc.newStub(channel)
        .withCallCredentials(Fleet.bearer(fleet.controlPlane().adminToken().value()))
        .watch(request, w);
    return w;
  }

  private HttpResponse<String> rest(String pathAndQuery) throws Exception {
    return fleet.rest("GET", pathAndQuery, null);
  }

  private String selfHealingOneApp() {
    return AppSets.appsOneOn("healed", "one", repo.url(), AppSets.automated(true, true), "east");
  }

  @Test
  void aManualEditShowsOnTheWatchStreamInTheReportAndOverRest() throws Exception {
    fleet.apply(selfHealingOneApp());
    fleet.awaitSynced("one-east");

    Watch mine = watch(WatchDriftRequest.newBuilder().setApplication("one-east").build());
    Watch elsewhere = watch(WatchDriftRequest.newBuilder().setCluster("west").build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fleet.controlPlane().driftFeed().subscribers() == 2);

    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("one")
        .withName("one-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", "edited by hand");
              return cm;
            });

    // Reported when it opens and again when self-heal closes it: the last word is the close.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(mine.received).isNotEmpty().last().matches(DriftedResource::getHealed));
    DriftedResource streamed = mine.received.get(mine.received.size() - 1);
    assertThat(mine.received).allSatisfy(r -> assertThat(r.getOccurrences()).isEqualTo(1));
    assertThat(streamed.getApplication()).isEqualTo("one-east");
    assertThat(streamed.getCluster()).isEqualTo("east");
    assertThat(streamed.getProject()).isEqualTo("default");
    assertThat(streamed.getKind()).isEqualTo("ConfigMap");
    assertThat(streamed.getNamespace()).isEqualTo("one");
    assertThat(streamed.getName()).isEqualTo("one-config");
    assertThat(streamed.getFieldsList())
        .anySatisfy(
            f -> {
              assertThat(f.getPath()).isEqualTo("/data/greeting");
              assertThat(f.getDesired()).contains("hello");
              assertThat(f.getLive()).contains("edited by hand");
            });
    assertThat(streamed.getHealed()).as("self-heal reverted it").isTrue();
    assertThat(streamed.hasHealedAt()).isTrue();
    assertThat(streamed.getHealedBy()).isEqualTo("self-heal");
    assertThat(streamed.getDriftKind()).isEqualTo("drift");
    assertThat(streamed.getOccurrences()).isEqualTo(1);
    assertThat(fleet.configMap("east", "one", "one-config").getData())
        .containsEntry("greeting", "hello");
    assertThat(mine.error.get()).isNull();
    assertThat(elsewhere.received).as("filtered out by cluster").isEmpty();

    DriftReportResponse report = blocking().report(DriftReportRequest.getDefaultInstance());
    assertThat(report.getTotal()).isEqualTo(1);
    assertThat(report.getItemsList()).containsExactly(streamed);
    assertThat(report.getByClusterList())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getKey()).isEqualTo("east");
              assertThat(c.getObjects()).isEqualTo(1);
              assertThat(c.getUnhealed()).isZero();
              assertThat(c.getEvents()).isEqualTo(1);
            });
    assertThat(report.getByTeamList())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo(DriftReport.NO_TEAM));
    assertThat(report.hasNextOffset()).isFalse();
    assertThat(
            blocking().report(DriftReportRequest.newBuilder().setHealed(false).build()).getTotal())
        .as("healed=false leaves out what self-heal reverted")
        .isZero();
    assertThat(
            blocking()
                .report(DriftReportRequest.newBuilder().setKind("Secret").build())
                .getItemsCount())
        .isZero();

    HttpResponse<String> json = rest("/api/v1/drift");
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    JsonObject body = new JsonObject(json.body());
    assertThat(body.getLong("total")).isEqualTo(1);
    assertThat(body.getJsonArray("items").getJsonObject(0).getString("name"))
        .isEqualTo("one-config");
    HttpResponse<String> csv = rest("/api/v1/drift?format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body())
        .startsWith("cluster,project,application,")
        .contains("east,default,one-east,,ConfigMap,one,one-config,")
        .contains("/data/greeting");
    HttpResponse<String> events = rest("/api/v1/drift/events?application=one-east");
    assertThat(new JsonObject(events.body()).getJsonArray("items")).hasSize(1);

    mine.cancel();
    elsewhere.cancel();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(fleet.controlPlane().driftFeed().subscribers())
                    .as("cancelled streams unsubscribe")
                    .isZero());
  }

  private DriftedResource oneConfig() {
    return blocking()
        .report(DriftReportRequest.newBuilder().setApplication("one-east").build())
        .getItemsList()
        .stream()
        .filter(r -> r.getName().equals("one-config"))
        .findFirst()
        .orElseThrow();
  }

  private CliRunner.Run cli(String... args) {
    return CliRunner.runAgainst(
        "http://127.0.0.1:" + fleet.controlPlane().httpPort(),
        fleet.controlPlane().adminToken().value(),
        args);
  }

  private void editGreeting(String value) {
    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("one")
        .withName("one-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", value);
              return cm;
            });
  }

  @Test
  void theReportAgreesWithTheSyncStatusAndClosesWhateverPutTheObjectRight() throws Exception {
    fleet.apply(AppSets.appsOneOn("manual", "one", repo.url(), "", "east"));
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    fleet.awaitSynced("one-east");

    // A newer commit without automated sync: OutOfSync, and the report says why.
    repo.write(
        "apps/one/config.yaml",
        dev.flotilla.testkit.TestRepo.configMap("one-config", "greeting", "hello, world"));
    fleet.awaitRevision(repo.commit("new greeting"), "one-east");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fleet.application("one-east").orElseThrow().syncStatus())
                  .isEqualTo("OutOfSync");
              assertThat(oneConfig().getDriftKind()).isEqualTo("pending-sync");
              assertThat(oneConfig().getHealed()).isFalse();
            });
    CliRunner.Run unhealed = cli("drift", "--unhealed");
    assertThat(unhealed.exitCode()).as(unhealed.err()).isZero();
    assertThat(unhealed.out())
        .contains("ConfigMap/one/one-config")
        .contains("pending sync")
        .doesNotContain("matches Git");

    // A manual sync puts it right: closed by sync.
    assertThat(fleet.rest("POST", "/api/v1/applications/one-east/sync", "").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(oneConfig().getHealedBy()).isEqualTo("sync"));
    fleet.awaitSynced("one-east");

    // A human edit is drift, one more occurrence; the same human putting it back closes it.
    long before = oneConfig().getOccurrences();
    editGreeting("edited at 3 a.m.");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(oneConfig().getHealed()).isFalse();
              assertThat(oneConfig().getDriftKind()).isEqualTo("drift");
              assertThat(oneConfig().getOccurrences()).isEqualTo(before + 1);
            });
    editGreeting("hello, world");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(oneConfig().getHealedBy()).isEqualTo("manual-revert"));
    DriftedResource closed = oneConfig();
    assertThat(closed.getOccurrences()).isEqualTo(before + 1);
    assertThat(closed.getRecurrences()).isEqualTo(before);
    // The agent compares again after the revert: the status follows, and so does the report.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cli("drift", "--unhealed").out())
                    .contains("no drift: every managed object you may see matches Git"));
    assertThat(fleet.application("one-east").orElseThrow().syncStatus()).isEqualTo("Synced");
  }

  @Test
  void badFiltersAreRefusedNamingTheFieldAndCallsNeedAToken() throws Exception {
    record Bad(DriftReportRequest request, String field) {}
    for (Bad b :
        List.of(
            new Bad(DriftReportRequest.newBuilder().setLimit(-1).build(), "limit"),
            new Bad(DriftReportRequest.newBuilder().setLimit(5000).build(), "limit"),
            new Bad(DriftReportRequest.newBuilder().setCluster("a\u0001").build(), "cluster"),
            new Bad(DriftReportRequest.newBuilder().setKind("k".repeat(300)).build(), "kind"))) {
      assertThatThrownBy(() -> blocking().report(b.request()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).startsWith(b.field() + ":");
              });
    }
    Watch badWatch = watch(WatchDriftRequest.newBuilder().setProject("").setKind("\n").build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Status.fromThrowable(badWatch.error.get()).getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(fleet.controlPlane().driftFeed().subscribers()).isZero();

    assertThatThrownBy(
            () ->
                DriftServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(Fleet.bearer("flt_wrong"))
                    .report(DriftReportRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

    for (String bad : List.of("?kind=", "?healed=maybe", "?limit=0", "?colour=red")) {
      HttpResponse<String> r = rest("/api/v1/drift" + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error"))
          .startsWith(bad.substring(1, bad.indexOf('=')) + ":");
    }
  }
}
