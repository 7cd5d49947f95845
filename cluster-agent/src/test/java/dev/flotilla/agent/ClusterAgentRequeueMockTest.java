package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waiting is a requeue, never a sleep: Applications whose sync keeps failing under {@code retry}
 * hold no reconcile worker between attempts, each attempt renders the newest commit, and self-heal
 * is a reconcile of the whole Application through the same queue, so it never races a sync.
 */
class ClusterAgentRequeueMockTest extends AgentMockTestBase {

  /** A sync that fails until the object it renders is no longer owned by another application. */
  static String retry(String backoff) {
    return "{\"automated\":{\"prune\":true},\"retry\":{\"limit\":-1,\"backoff\":{\"duration\":\""
        + backoff
        + "\",\"factor\":1,\"maxDuration\":\""
        + backoff
        + "\"}}}";
  }

  /** demo/greeting, owned by an application that is not any of the test's. */
  void greetingOwnedByAnotherApplication() {
    rig.client()
        .configMaps()
        .inNamespace("demo")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("greeting")
                .withNamespace("demo")
                .addToLabels(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE)
                .addToAnnotations(Tracking.TRACKING_ID, "owner:/ConfigMap:demo/greeting")
                .endMetadata()
                .build())
        .create();
  }

  /** The status the agent last reported for {@code application}; fails while there is none. */
  ApplicationStatus status(ClusterAgent agent, String application) {
    ApplicationStatus s = agent.statuses().get(application);
    assertThat(s).as("status of " + application).isNotNull();
    return s;
  }

  @Test
  void applicationsRetryingForeverHoldNoWorkerAndAHealthyOneIsStillReconciled() {
    greetingOwnedByAnotherApplication();
    List<String> stuck = List.of("stuck-1", "stuck-2", "stuck-3"); // more than the 2 workers
    rig.snapshotOnHello(
        List.of(
            rig.app("stuck-1", "apps/web", "demo", retry("1m")),
            rig.app("stuck-2", "apps/web", "demo", retry("1m")),
            rig.app("stuck-3", "apps/web", "demo", retry("1m")),
            rig.app("healthy", "apps/web", "other", "{\"automated\":{}}")));

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(status(agent, "healthy")).isNotNull();
                assertThat(status(agent, "healthy").getSyncStatus())
                    .isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (String app : stuck) {
                  assertThat(status(agent, app)).as(app).isNotNull();
                  assertThat(status(agent, app).getSyncFailed()).as(app).isTrue();
                  assertThat(status(agent, app).getMessage())
                      .as(app)
                      .contains("owned by application 'owner'")
                      .contains("retrying (attempt 1, no limit) in 1m");
                }
                // Between attempts nothing runs and nothing queues: the backoffs are timers.
                ReconcileQueue.Progress progress = agent.queueProgress();
                assertThat(progress.running()).isEmpty();
                assertThat(progress.queued()).isZero();
                assertThat(agent.requeued()).containsAll(stuck);
              });
    }
  }

  @Test
  void aCommitPushedWhileAnApplicationIsRetryingIsPickedUpAtTheNextAttempt() throws Exception {
    greetingOwnedByAnotherApplication();
    rig.commit(
        "apps/late/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  k: v\n");
    rig.snapshotOnHello(rig.app("late", "apps/late", "demo", retry("200ms")));

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(status(agent, "late").getMessage()).contains("in 200ms"));

      // No refresh, no new assignment: only the retry comes back, and it renders the new commit.
      String fix =
          rig.commit(
              "apps/late/cm.yaml",
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late-own\ndata:\n  k: v\n");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ApplicationStatus s = status(agent, "late");
                assertThat(s.getSyncFailed()).as(s.getMessage()).isFalse();
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                assertThat(s.getRevision()).isEqualTo(fix);
              });
      assertThat(rig.client().configMaps().inNamespace("demo").withName("late-own").get())
          .isNotNull();
      await().untilAsserted(() -> assertThat(agent.requeued()).doesNotContain("late"));
    }
  }

  @Test
  void selfHealOfADriftedObjectDoesNotWaitForTheReconcileInFlight() throws Exception {
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(status(agent, "web").getSyncStatus())
                      .isEqualTo(SyncStatus.SYNC_STATUS_SYNCED));

      // Hold a reconcile of web on its worker, as a long sync would be.
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      agent.beforeReconcile(
          app -> {
            if (app.equals("web") && entered.getCount() > 0) {
              entered.countDown();
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      rig.send(
          ControlMessage.newBuilder()
              .setSync(SyncRequest.newBuilder().setApplication("web").setRefreshOnly(true))
              .build());
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("reconcile of web started").isTrue();

      rig.client()
          .configMaps()
          .inNamespace("demo")
          .withName("greeting")
          .edit(c -> new ConfigMapBuilder(c).addToData("hello", "hacked").build());

      // The drifted object is put back alone, not behind its Application's (long) reconcile: the
      // write is guarded by the resourceVersion, so it cannot clobber what that reconcile writes.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(rig.greeting().getData()).containsEntry("hello", "world"));
      assertThat(entered.getCount()).isZero();

      release.countDown();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(agent.unacknowledgedDrift())
                      .anySatisfy(
                          (DriftEvent d) -> {
                            assertThat(d.getApplication()).isEqualTo("web");
                            assertThat(d.getHealedAtUnixMs())
                                .isGreaterThanOrEqualTo(d.getDetectedAtUnixMs());
                            assertThat(d.getFieldsList())
                                .anySatisfy(f -> assertThat(f.getPath()).isEqualTo("/data/hello"));
                          }));
      assertThat(agent.mostConcurrentReconciles("web")).isEqualTo(1);
    }
  }
}
