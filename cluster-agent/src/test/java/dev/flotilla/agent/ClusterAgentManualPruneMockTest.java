package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.OperationPhase;
import dev.flotilla.proto.agent.v1.SyncRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A manual sync asked to prune ({@code argocd app sync --prune}) deletes what the Application no
 * longer renders although its policy is manual; a manual sync without it keeps such objects.
 */
class ClusterAgentManualPruneMockTest extends AgentMockTestBase {

  static final String TWO =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\ndata:\n  k: v\n---\n"
          + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\ndata:\n  k: v\n";
  static final String ONE =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\ndata:\n  k: v2\n";

  @Test
  void aManualSyncWithPruneDeletesAnObjectRemovedFromGitWhileThePolicyIsManual() throws Exception {
    String v1 = rig.commit("apps/p/cms.yaml", TWO);
    rig.snapshotOnHello(rig.app("p", "apps/p", "demo", "{}").toBuilder().setRevision(v1).build());

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      // Manual policy: compared, not applied, until asked.
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.statuses().get("p") != null);
      assertThat(configMap("keep")).isNull();
      sync(v1, false);
      await().atMost(Duration.ofSeconds(20)).until(() -> configMap("gone") != null);

      String v2 = rig.commit("apps/p/cms.yaml", ONE);
      sync(v2, false);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ApplicationStatus s = agent.statuses().get("p");
                assertThat(s.getOperationState().getRevision()).isEqualTo(v2);
                assertThat(s.getOperationState().getPhase())
                    .isEqualTo(OperationPhase.OPERATION_PHASE_SUCCEEDED);
                assertThat(configMap("keep").getData()).containsEntry("k", "v2");
              });
      assertThat(configMap("gone")).as("a sync without prune keeps orphans").isNotNull();

      sync(v2, true);
      await().atMost(Duration.ofSeconds(20)).until(() -> configMap("gone") == null);
      assertThat(configMap("keep")).isNotNull();
    }
  }

  private void sync(String revision, boolean prune) {
    rig.send(
        ControlMessage.newBuilder()
            .setSync(
                SyncRequest.newBuilder()
                    .setApplication("p")
                    .setRevision(revision)
                    .setRefresh(true)
                    .setPrune(prune))
            .build());
  }

  private io.fabric8.kubernetes.api.model.ConfigMap configMap(String name) {
    return rig.client().configMaps().inNamespace("demo").withName(name).get();
  }
}
