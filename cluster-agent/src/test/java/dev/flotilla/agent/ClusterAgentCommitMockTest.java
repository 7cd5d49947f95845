package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status names the commit it was rendered from (author, subject, time), read from the checkout
 * the agent already made, also when rendering that commit failed.
 */
class ClusterAgentCommitMockTest extends AgentMockTestBase {

  @Test
  void statusCarriesTheCommitOfTheRenderedRevisionEvenWhenItsRenderFails() throws Exception {
    long before = System.currentTimeMillis() / 1000 * 1000;
    String sha =
        rig.commit(
            "apps/web/second.yaml",
            "apiVersion: v1\nkind: ConfigMap\n" + "metadata:\n  name: second\ndata:\n  a: b\n");
    rig.snapshotOnHello(
        List.of(rig.web(), rig.app("broken", "apps/missing", "demo", "{\"automated\":{}}")));

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(latest("web")).isPresent();
                ApplicationStatus web = latest("web").get();
                assertThat(web.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                assertThat(web.getRevision()).isEqualTo(sha);
                assertThat(web.getCommit().getSha()).isEqualTo(sha);
                assertThat(web.getCommit().getAuthor()).isEqualTo("t");
                assertThat(web.getCommit().getSubject()).isEqualTo("apps/web/second.yaml");
                assertThat(web.getCommit().getCommittedAtUnixMs()).isGreaterThanOrEqualTo(before);

                assertThat(latest("broken")).isPresent();
                ApplicationStatus broken = latest("broken").get();
                assertThat(broken.getSyncFailed()).isTrue();
                assertThat(broken.getMessage()).contains("apps/missing");
                assertThat(broken.getCommit().getSha())
                    .as("the commit whose render failed")
                    .isEqualTo(sha);
              });
    }
  }

  private Optional<ApplicationStatus> latest(String application) {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals(application))
        .reduce((first, second) -> second);
  }
}
