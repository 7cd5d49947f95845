package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.OperationState;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.proto.agent.v1.TerminateOperation;
import dev.flotilla.proto.agent.v1.Upsert;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operation state a whole agent reports while a sync retries or waits, how a newer commit and
 * terminate-op end it, and which revision a rollback leaves deployed.
 */
class ClusterAgentOperationMockTest extends AgentMockTestBase {

  static final String GREETING =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  k: v\n";

  ApplicationStatus status(ClusterAgent agent, String application) {
    ApplicationStatus s = agent.statuses().get(application);
    assertThat(s).as("status of " + application).isNotNull();
    return s;
  }

  OperationState operation(ClusterAgent agent, String application) {
    ApplicationStatus s = status(agent, application);
    assertThat(s.hasOperationState()).as("operation of " + application).isTrue();
    return s.getOperationState();
  }

  @Test
  void aRetryingSyncShowsItsAttemptAndIsSupersededByAFixingCommitWithinSeconds() throws Exception {
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
    String broken = rig.commit("apps/late/cm.yaml", GREETING);
    String retry = "{\"automated\":{},\"retry\":{\"limit\":5,\"backoff\":{\"duration\":\"1m\"}}}";
    rig.snapshotOnHello(
        rig.app("late", "apps/late", "demo", retry).toBuilder().setRevision(broken).build());

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                OperationState op = operation(agent, "late");
                assertThat(op.getPhase()).isEqualTo(OperationPhase.OPERATION_PHASE_RUNNING);
                assertThat(op.getMessage())
                    .startsWith("retrying (attempt 1 of 5) in 1m: ")
                    .contains("owned by application 'owner'");
                assertThat(op.getRetryCount()).isEqualTo(1);
                assertThat(op.getNextAttemptAtUnixMs())
                    .isBetween(
                        System.currentTimeMillis() + 50_000, System.currentTimeMillis() + 61_000);
                assertThat(op.getRevision()).isEqualTo(broken);
                assertThat(op.getFinishedAtUnixMs()).isZero();
              });
      String first = operation(agent, "late").getId();

      String fix =
          rig.commit(
              "apps/late/cm.yaml",
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late-own\ndata:\n  k: v\n");
      rig.send(
          ControlMessage.newBuilder()
              .setUpsert(
                  Upsert.newBuilder()
                      .setAssignment(
                          rig.app("late", "apps/late", "demo", retry).toBuilder()
                              .setGeneration(2)
                              .setRevision(fix)))
              .build());

      // Within seconds, not after the minute of backoff.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                ApplicationStatus s = status(agent, "late");
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                assertThat(s.getRevision()).isEqualTo(fix);
                assertThat(s.getDeployedRevision()).isEqualTo(fix);
                OperationState op = s.getOperationState();
                assertThat(op.getPhase()).isEqualTo(OperationPhase.OPERATION_PHASE_SUCCEEDED);
                assertThat(op.getId()).isNotEqualTo(first);
                assertThat(op.getRevision()).isEqualTo(fix);
                assertThat(op.getFinishedAtUnixMs()).isPositive();
                assertThat(op.getAutomated()).isTrue();
              });
    }
  }

  @Test
  void terminateOpStopsAWaitingWaveAndSelfHealLeavesItStopped() throws Exception {
    String rev =
        rig.commit(
            "apps/slow/all.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"0\"\nspec:\n  replicas: 1\n---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"1\"\n");
    rig.snapshotOnHello(
        rig.app("slow", "apps/slow", "demo", "{\"automated\":{\"selfHeal\":true}}").toBuilder()
            .setRevision(rev)
            .build());

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(operation(agent, "slow").getMessage())
                      .startsWith(
                          "waiting for healthy state of apps/Deployment demo/web (wave 0)"));
      assertThat(operation(agent, "slow").getPhase())
          .isEqualTo(OperationPhase.OPERATION_PHASE_RUNNING);

      rig.send(
          ControlMessage.newBuilder()
              .setTerminateOperation(TerminateOperation.newBuilder().setApplication("slow"))
              .build());

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                OperationState op = operation(agent, "slow");
                assertThat(op.getPhase()).isEqualTo(OperationPhase.OPERATION_PHASE_FAILED);
                assertThat(op.getMessage()).startsWith("operation terminated");
              });
      // The Deployment stays Progressing, so the agent keeps looking; it only compares now.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .untilAsserted(
              () -> {
                assertThat(operation(agent, "slow").getPhase())
                    .isEqualTo(OperationPhase.OPERATION_PHASE_FAILED);
                assertThat(rig.client().configMaps().inNamespace("demo").withName("late").get())
                    .isNull();
              });
    }
  }

  @Test
  void afterARollbackTheStatusShowsTheDeployedRevisionBesideGitsNewest() throws Exception {
    String v1 = rig.commit("apps/roll/cm.yaml", GREETING);
    String v2 = rig.commit("apps/roll/cm.yaml", GREETING.replace("k: v", "k: v2"));
    rig.snapshotOnHello(
        rig.app("roll", "apps/roll", "demo", "{}").toBuilder().setRevision(v2).build());

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(status(agent, "roll").getSyncStatus())
                      .isEqualTo(SyncStatus.SYNC_STATUS_OUT_OF_SYNC));

      rig.send(
          ControlMessage.newBuilder()
              .setSync(SyncRequest.newBuilder().setApplication("roll").setRevision(v1))
              .build());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                OperationState op = operation(agent, "roll");
                assertThat(op.getPhase()).isEqualTo(OperationPhase.OPERATION_PHASE_SUCCEEDED);
                assertThat(op.getRevision()).isEqualTo(v1);
                assertThat(op.getAutomated()).as("requested").isFalse();
              });

      rig.send(
          ControlMessage.newBuilder()
              .setSync(
                  SyncRequest.newBuilder()
                      .setApplication("roll")
                      .setRefresh(true)
                      .setRefreshOnly(true))
              .build());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                ApplicationStatus s = status(agent, "roll");
                assertThat(s.getRevision()).as("compared with Git's newest").isEqualTo(v2);
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_OUT_OF_SYNC);
                assertThat(s.getDeployedRevision()).as("what runs").isEqualTo(v1);
                assertThat(s.getOperationState().getRevision()).isEqualTo(v1);
                assertThat(s.getOperationState().getMessage()).contains("applied 1 objects");
              });
      assertThat(rig.client().configMaps().inNamespace("demo").withName("greeting").get().getData())
          .containsEntry("k", "v");
    }
  }
}
