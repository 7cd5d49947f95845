package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.application.ApplicationView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, `flotilla demo`, as a user runs it: everything synced, then a commit picked up by
 * polling.
 */
class DemoE2E {

  @TempDir Path home;

  @Test
  void theDemoDeploysEveryAppToEverySimulatedClusterAndFollowsCommits() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (Demo demo =
        Demo.start(
            new Demo.Options(home.resolve("demo"), "127.0.0.1", 0, 0, Duration.ofMillis(500)),
            out)) {
      assertThat(demo.awaitAllSynced(Duration.ofSeconds(90))).isNull();

      List<ApplicationView> apps = demo.applications();
      assertThat(apps).hasSize(Demo.CLUSTERS.size() * DemoRepository.APPS.size());
      assertThat(apps).extracting(ApplicationView::cluster).containsOnly("dev", "staging", "prod");
      assertThat(output.toString(StandardCharsets.UTF_8)).contains("SIMULATED");
      for (Path kubeconfig : demo.kubeconfigs()) {
        assertThat(Files.readString(kubeconfig)).contains("server: http://127.0.0.1:");
      }
      for (SimulatedCluster cluster : demo.clusters()) {
        for (String app : DemoRepository.APPS) {
          assertThat(cluster.client().apps().deployments().inNamespace(app).withName(app).get())
              .isNotNull();
          assertThat(cluster.client().services().inNamespace(app).withName(app).get()).isNotNull();
        }
      }

      // The "try it" step of the demo's output: edit, commit, and every cluster follows.
      Path config = demo.repoDir().resolve("apps/frontend/configmap.yaml");
      Files.writeString(
          config, Files.readString(config).replace("hello from frontend", "hello again"));
      try (Git git = Git.open(demo.repoDir().toFile())) {
        PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
        git.commit()
            .setAll(true)
            .setMessage("change greeting")
            .setAuthor(who)
            .setCommitter(who)
            .setSign(false)
            .call();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (SimulatedCluster cluster : demo.clusters()) {
                  assertThat(
                          cluster
                              .client()
                              .configMaps()
                              .inNamespace("frontend")
                              .withName("frontend-config")
                              .get()
                              .getData())
                      .containsEntry("greeting", "hello again");
                }
              });

      // The mission's own story: a new directory under apps/ appears on every cluster, and the
      // demo says how long it took.
      try (DemoNarrator narrator = demo.narrator(out)) {
        narrator.start();
        Path newsvc = demo.repoDir().resolve("apps/newsvc");
        DemoRepository.writeApp(newsvc, "newsvc", 9090);
        try (Git git = Git.open(demo.repoDir().toFile())) {
          PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
          git.add().addFilepattern("apps/newsvc").call();
          git.commit()
              .setMessage("add newsvc")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call();
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(output.toString(StandardCharsets.UTF_8))
                        .containsPattern(
                            "all 12 Applications Synced on 3 clusters [0-9.]+ s after the demo saw"
                                + " it \\(new: newsvc-dev, newsvc-prod, newsvc-staging\\)"));
        for (SimulatedCluster cluster : demo.clusters()) {
          assertThat(
                  cluster
                      .client()
                      .apps()
                      .deployments()
                      .inNamespace("newsvc")
                      .withName("newsvc")
                      .get())
              .isNotNull();
        }
      }

      // The GitOps moment: a hand edit of a Deployment (kubectl scale) is put back by self-heal,
      // and the demo says how long it took.
      try (DemoHealWatcher heals = demo.healWatcher(out)) {
        SimulatedCluster dev = demo.clusters().get(0);
        dev.client().apps().deployments().inNamespace("frontend").withName("frontend").scale(5);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(output.toString(StandardCharsets.UTF_8))
                        .containsPattern(
                            "self-heal on dev: Deployment frontend/frontend was changed by hand"
                                + " \\(replicas 2 → 5\\) and put back to Git's version [0-9]+ ms"
                                + " later"));
        assertThat(
                dev.client()
                    .apps()
                    .deployments()
                    .inNamespace("frontend")
                    .withName("frontend")
                    .get()
                    .getSpec()
                    .getReplicas())
            .isEqualTo(2);
      }
    }
  }
}
