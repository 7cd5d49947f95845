package dev.flotilla.controlplane.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.generators.GitInputException;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fetch per repository at a time, none lost, and reads that never wait on the network. */
class GitFetcherTest {

  @TempDir Path tmp;
  private Vertx vertx;
  private WorkerExecutor pool;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("git-fetch-test", 4);
  }

  @AfterEach
  void stop() throws Exception {
    pool.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void askingDuringAFetchGetsOneMoreFetchAfterItThatSeesTheNewCommit() throws Exception {
    Path served = tmp.resolve("served");
    try (TestRepo repo = new TestRepo(served.resolve("apps"));
        HttpGitServer server = new HttpGitServer(served)) {
      repo.write("a.yaml", "a: 1").commit("one");
      String url = server.url("apps");
      GitFetcher fetcher = new GitFetcher(pool, new GitRepositories(tmp.resolve("cache")));
      long atStart = GitFetcher.now();
      get(fetcher.fetch(url, atStart));

      server.hold();
      long beforeFirst = GitFetcher.now();
      Future<Void> first = fetcher.fetch(url, beforeFirst);
      await().atMost(Duration.ofSeconds(30)).until(() -> server.held() >= 1);
      assertThat(fetcher.fetch(url, beforeFirst))
          .as("anyone content with what the running fetch reads joins it")
          .isSameAs(first);
      assertThat(fetcher.fetch(url, atStart))
          .as("anyone content with older data gets the last finished fetch at once")
          .isNotSameAs(first)
          .matches(Future::succeeded);
      String two = repo.write("a.yaml", "a: 2").commit("two");
      long afterPush = GitFetcher.now();
      Future<Void> second = fetcher.fetch(url, afterPush);
      Future<Void> third = fetcher.fetch(url, GitFetcher.now());
      assertThat(third).as("one follow-up serves everybody who asked meanwhile").isSameAs(second);
      server.release();

      get(first);
      get(second);
      assertThat(fetcher.repositories().resolveLocal(url, "main")).isEqualTo(two);
      assertThat(fetcher.completedSince(url, afterPush)).isNotNull();
      assertThat(fetcher.completedSince(url, GitFetcher.now())).isNull();
    }
  }

  @Test
  void aFailedFetchIsReportedToReadersWithItsOwnMessage() throws Exception {
    try (HangingServer hanging = new HangingServer(false)) {
      String url = hanging.url("apps.git");
      GitFetcher fetcher =
          new GitFetcher(
              pool,
              new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(1), 1000, 1 << 20));
      long since = GitFetcher.now();
      GitReads reads = new GitReads(fetcher, since);
      // Not fetched yet: the read says so at once instead of waiting, and notes what to fetch.
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> reads.resolve(url, "main"))
          .isInstanceOf(GitInputException.class)
          .hasMessageContaining("is being fetched");

      String message =
          get(
              GitReads.run(
                  fetcher,
                  pool,
                  since,
                  java.util.List.of(),
                  git -> {
                    try {
                      return git.resolve(url, "main");
                    } catch (GitInputException e) {
                      return e.getMessage();
                    }
                  }));
      assertThat(message).isEqualTo("timed out after 1s cloning " + url);
    }
  }
}
