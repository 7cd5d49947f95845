package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import dev.flotilla.render.chart.ChartRepositoryServer;
import dev.flotilla.render.chart.OciTestRegistry;
import dev.flotilla.render.chart.TestCharts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An Application naming a chart of a Helm repository ({@code chart:} + an http(s) {@code repoURL})
 * is fetched with the agent's Helm credentials, rendered with its values and synced; the version
 * chosen is its revision. Before, the agent refused such a source ("not supported") and the control
 * plane tried to clone the Helm repository's URL as Git every poll.
 */
class ClusterAgentChartMockTest extends AgentMockTestBase {

  private ChartRepositoryServer charts;

  @BeforeEach
  void startCharts() throws Exception {
    charts = new ChartRepositoryServer("reader", "s3cret");
    charts.publish("shop", "1.2.0", TestCharts.configMapChart("shop", "1.2.0"));
    charts.publish("shop", "1.2.3", TestCharts.configMapChart("shop", "1.2.3"));
    charts.publish("shop", "2.0.0", TestCharts.configMapChart("shop", "2.0.0"));
  }

  @AfterEach
  void stopCharts() {
    charts.close();
  }

  private Assignment shop(String targetRevision) {
    return Assignment.newBuilder()
        .setName("shop")
        .setProject("default")
        .setGeneration(1)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + charts.url()
                + "\",\"chart\":\"shop\",\"targetRevision\":\""
                + targetRevision
                + "\",\"helm\":{\"parameters\":[{\"name\":\"greeting\",\"value\":\"hi from a"
                + " chart\"}]}},"
                + "\"destination\":{\"namespace\":\"demo\"},"
                + "\"syncPolicy\":{\"automated\":{\"prune\":true}}}")
        .build();
  }

  private Optional<ApplicationStatus> latest(String application) {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream())
        .filter(s -> s.getApplication().equals(application))
        .reduce((a, b) -> b);
  }

  private AgentConfig withHelmCredentials() throws Exception {
    Path file = tmp.resolve("helm-credentials.yaml");
    Files.writeString(
        file,
        "credentials:\n  - urlPrefix: "
            + charts.url()
            + "/\n    username: reader\n    password: s3cret\n");
    return rig.config(tmp.resolve("state")).toBuilder().helmCredentialsFile(file).build();
  }

  @Test
  void aChartFromAHelmRepositoryIsFetchedRenderedAndSynced() throws Exception {
    rig.snapshotOnHello(shop("1.2.*"));
    try (ClusterAgent agent = new ClusterAgent(withHelmCredentials(), rig.client())) {
      agent.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ConfigMap cm =
                    rig.client().configMaps().inNamespace("demo").withName("shop-cm").get();
                assertThat(cm).isNotNull();
                assertThat(cm.getData())
                    .containsEntry("greeting", "hi from a chart")
                    .containsEntry("chart", "1.2.3");
                assertThat(latest("shop"))
                    .hasValueSatisfying(
                        s -> {
                          assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
                          assertThat(s.getRevision()).isEqualTo("1.2.3");
                        });
              });
    }
  }

  /**
   * {@code app refresh --hard}: an exact version is cached after its first download (see
   * ChartFetcherTest); a hard refresh downloads it again (Argo CD's manifest cache invalidation).
   */
  @Test
  void aHardRefreshDownloadsTheCachedChartAgain() throws Exception {
    rig.snapshotOnHello(shop("1.2.0"));
    String pkg = "/repo/charts/shop-1.2.0.tgz";
    try (ClusterAgent agent = new ClusterAgent(withHelmCredentials(), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(latest("shop"))
                      .hasValueSatisfying(s -> assertThat(s.getRevision()).isEqualTo("1.2.0")));
      assertThat(charts.requests()).containsOnlyOnce(pkg);

      rig.send(hardRefresh());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(charts.requests().stream().filter(pkg::equals).count()).isEqualTo(2));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          rig.client().configMaps().inNamespace("demo").withName("shop-cm").get())
                      .isNotNull());
    }
  }

  private static ControlMessage hardRefresh() {
    return ControlMessage.newBuilder()
        .setSync(
            SyncRequest.newBuilder()
                .setApplication("shop")
                .setRefresh(true)
                .setRefreshOnly(true)
                .setHardRefresh(true))
        .build();
  }

  @Test
  void aChartFromAnOciRegistryIsFetchedRenderedAndSynced() throws Exception {
    OciTestRegistry.assumeInstalled();
    try (OciTestRegistry registry =
        new OciTestRegistry(Files.createDirectories(tmp.resolve("registry")), "puller", "pw")) {
      registry.pushChart("charts", "shop", "3.1.0", TestCharts.configMapChart("shop", "3.1.0"));
      Path file = tmp.resolve("oci-credentials.yaml");
      Files.writeString(
          file,
          "credentials:\n  - urlPrefix: oci://"
              + registry.host()
              + "/\n    username: puller\n    password: pw\n");
      rig.snapshotOnHello(
          Assignment.newBuilder()
              .setName("shop")
              .setProject("default")
              .setGeneration(1)
              .setSpecJson(
                  "{\"source\":{\"repoURL\":\"oci://"
                      + registry.host()
                      + "/charts/shop\",\"targetRevision\":\"^3\",\"path\":\".\","
                      + "\"helm\":{\"valuesObject\":{\"greeting\":\"hi from a registry\"}}},"
                      + "\"destination\":{\"namespace\":\"demo\"},"
                      + "\"syncPolicy\":{\"automated\":{}}}")
              .build());
      AgentConfig config =
          rig.config(tmp.resolve("state")).toBuilder().helmCredentialsFile(file).build();
      try (ClusterAgent agent = new ClusterAgent(config, rig.client())) {
        agent.start();

        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  ConfigMap cm =
                      rig.client().configMaps().inNamespace("demo").withName("shop-cm").get();
                  assertThat(cm).isNotNull();
                  assertThat(cm.getData())
                      .containsEntry("greeting", "hi from a registry")
                      .containsEntry("chart", "3.1.0");
                  assertThat(latest("shop"))
                      .hasValueSatisfying(s -> assertThat(s.getRevision()).isEqualTo("3.1.0"));
                });
      }
    }
  }

  @Test
  void withoutCredentialsTheStatusNamesTheRepositoryInsteadOfAGitClone() throws Exception {
    rig.snapshotOnHello(shop("1.2.*"));
    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(latest("shop"))
                      .hasValueSatisfying(
                          s -> {
                            assertThat(s.getSyncFailed()).isTrue();
                            assertThat(s.getMessage())
                                .isEqualTo(
                                    "index.yaml of Helm repository "
                                        + charts.url()
                                        + ": HTTP 401 (no credentials for it in the agent's"
                                        + " --helm-credentials file)")
                                .doesNotContain("clone");
                          }));
    }
  }

  @Test
  void aTargetRevisionThatIsNoVersionIsRefusedNamingTheField() throws Exception {
    rig.snapshotOnHello(shop("main"));
    try (ClusterAgent agent = new ClusterAgent(withHelmCredentials(), rig.client())) {
      agent.start();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(latest("shop"))
                      .hasValueSatisfying(
                          s ->
                              assertThat(s.getMessage())
                                  .startsWith(
                                      "spec.source.targetRevision of chart shop must be a chart"
                                          + " version or constraint")));
      assertThat(charts.requests()).isEmpty();
    }
  }
}
