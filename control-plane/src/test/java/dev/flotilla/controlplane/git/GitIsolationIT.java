package dev.flotilla.controlplane.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.Future;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository whose server hangs holds up nothing but itself, and a poll asked for while one runs
 * is never lost; on a real control plane and Postgres, with a Git server that never answers.
 */
class GitIsolationIT {

  @TempDir Path tmp;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    // Polling only when the test asks: every poll below is one the test started.
    ControlPlaneConfig config =
        ControlPlaneConfig.defaults(tmp.resolve("home"))
            .withListen("127.0.0.1", 0, 0)
            .withGitPollInterval(Duration.ofHours(1));
    cp = ControlPlane.start(config, TestDatabases.fresh());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private static String appSet(String name, String repoUrl) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
                  - {cluster: x}
          template:
            metadata:
              name: '%s-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps
              destination:
                name: '{{cluster}}'
                namespace: apps
        """
        .formatted(name, name, repoUrl);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private String revisionOf(String application) throws Exception {
    Optional<StoredApplication> app =
        get(cp.applications().listAll()).stream()
            .filter(a -> a.name().equals(application))
            .findFirst();
    return app.map(StoredApplication::revision).orElse(null);
  }

  @Test
  void aHangingRepositoryHoldsUpNeitherOtherRepositoriesNorWebhooks() throws Exception {
    try (HangingServer hanging = new HangingServer(false);
        TestRepo good = new TestRepo(tmp.resolve("good"))) {
      String one = good.write("apps/a.yaml", "a: 1").commit("one");
      // More ApplicationSets on hanging repositories than the Git worker pool has threads.
      for (int i = 0; i < 6; i++) {
        cp.controller().apply(appSet("hang" + i, hanging.url("r" + i + ".git")));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> hanging.accepted() >= 6);

      get(cp.controller().apply(appSet("good", good.url())));
      assertThat(revisionOf("good-x")).isEqualTo(one);

      // A periodic poll starts and hangs on the six repositories...
      Future<Void> poll = cp.poller().pollOnce();
      String two = good.write("apps/a.yaml", "a: 2").commit("two");
      // ...while a push to the good repository is announced and followed at once.
      HttpResponse<String> webhook =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + cp.httpPort() + "/api/v1/webhook/git"))
                      .header("Content-Type", "application/json")
                      .header("X-GitHub-Event", "push")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\""
                                  + good.url()
                                  + "\"}}"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(revisionOf("good-x")).isEqualTo(two));
      assertThat(poll.isComplete())
          .as("the hanging repositories are still being fetched")
          .isFalse();
    }
  }

  @Test
  void aPollAskedForWhileOneRunsIsRunRightAfterIt() throws Exception {
    Path served = tmp.resolve("served");
    try (TestRepo repo = new TestRepo(served.resolve("apps"));
        HttpGitServer server = new HttpGitServer(served)) {
      String one = repo.write("apps/a.yaml", "a: 1").commit("one");
      get(cp.controller().apply(appSet("web", server.url("apps"))));
      assertThat(revisionOf("web-x")).isEqualTo(one);

      // A poll reads the branches (still at "one") and is slow to finish...
      server.hold();
      Future<Void> first = cp.poller().pollOnce();
      await().atMost(Duration.ofSeconds(30)).until(() -> server.held() >= 1);
      // ...a push lands and a webhook asks for a poll while the first still runs.
      String two = repo.write("apps/a.yaml", "a: 2").commit("two");
      Future<Void> second = cp.poller().pollOnce();
      server.release();
      get(first);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(revisionOf("web-x")).isEqualTo(two));
      get(second);
    }
  }
}
