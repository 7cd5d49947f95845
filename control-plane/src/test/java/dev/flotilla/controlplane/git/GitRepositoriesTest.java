package dev.flotilla.controlplane.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timeouts and size limits of the control plane's Git mirrors. */
class GitRepositoriesTest {

  @TempDir Path tmp;

  @ParameterizedTest(name = "headers then stall: {0}")
  @ValueSource(booleans = {false, true})
  void aServerThatNeverAnswersTimesOutWithAClearMessage(boolean headersThenStall) throws Exception {
    GitRepositories git =
        new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(1), 1000, 1 << 20);
    try (HangingServer hanging = new HangingServer(headersThenStall)) {
      String url = hanging.url("apps.git");
      // A bound for the hang only (the timeout is 1 s): without a timeout this never returns.
      GitInputException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () -> {
                try {
                  git.resolve(url, "main");
                  return null;
                } catch (GitInputException failed) {
                  return failed;
                }
              });
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).isEqualTo("timed out after 1s cloning " + url);
      assertThat(hanging.accepted()).isPositive();
    }
    assertThat(Files.list(tmp.resolve("cache")).toList())
        .as("a failed clone leaves no half-made mirror")
        .isEmpty();
  }

  @Test
  void aFetchOfAnExistingMirrorTimesOutToo() throws Exception {
    Path served = tmp.resolve("served");
    try (TestRepo repo = new TestRepo(served.resolve("apps"));
        HttpGitServer server = new HttpGitServer(served)) {
      repo.write("a.yaml", "a: 1").commit("one");
      String url = server.url("apps");
      // The first clone may take a while on a busy machine; the fetch under test may not.
      new GitRepositories(tmp.resolve("cache")).fetch(url);
      GitRepositories git =
          new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(1), 1000, 1 << 20);
      server.hold();
      GitInputException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () -> {
                try {
                  git.fetch(url);
                  return null;
                } catch (GitInputException failed) {
                  return failed;
                }
              });
      server.release();
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).isEqualTo("timed out after 1s fetching " + url);
    }
  }

  @Test
  void aSnapshotWithTooManyFilesIsRefused() throws Exception {
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"))) {
      for (int i = 0; i < 4; i++) {
        repo.write("apps/app" + i + "/config.yaml", "n: " + i);
      }
      String sha = repo.commit("four apps");
      GitRepositories git =
          new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(30), 3, 1 << 20);
      assertThatThrownBy(() -> git.snapshot(repo.url(), "main"))
          .isInstanceOf(GitInputException.class)
          .hasMessage(repo.url() + " at " + sha + " has more than 3 files, over the limit");
      GitRepositories roomy =
          new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(30), 4, 1 << 20);
      assertThat(roomy.snapshot(repo.url(), "main").files()).hasSize(4);
    }
  }

  @Test
  void readingMoreThanTheByteLimitFromOneSnapshotIsRefused() throws Exception {
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"))) {
      repo.write("a.yaml", "x".repeat(600)).write("b.yaml", "y".repeat(600));
      String sha = repo.commit("two files");
      GitRepositories git =
          new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(30), 100, 1000);
      GitTreeSnapshot snapshot = git.snapshot(repo.url(), "main");
      assertThat(snapshot.read("a.yaml", 1000)).hasSize(600);
      assertThatThrownBy(() -> snapshot.read("b.yaml", 1000))
          .isInstanceOf(GitInputException.class)
          .hasMessage(
              "reading 'b.yaml' takes the files read from "
                  + repo.url()
                  + " at "
                  + sha
                  + " over the limit of 1000 bytes");
    }
  }

  @Test
  void theFileNamesCountTowardsTheByteLimit() throws Exception {
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"))) {
      repo.write("d".repeat(100) + "/" + "f".repeat(100), "x");
      String sha = repo.commit("a long name");
      GitRepositories git =
          new GitRepositories(tmp.resolve("cache"), Duration.ofSeconds(30), 100, 150);
      assertThatThrownBy(() -> git.snapshot(repo.url(), "main"))
          .isInstanceOf(GitInputException.class)
          .hasMessage("the file names of " + repo.url() + " at " + sha + " exceed 150 bytes");
    }
  }

  @Test
  void localReadsNeverTouchTheNetworkAndSayWhenNothingWasFetched() throws Exception {
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"))) {
      String one = repo.write("a.yaml", "a: 1").commit("one");
      GitRepositories git = new GitRepositories(tmp.resolve("cache"));
      assertThatThrownBy(() -> git.resolveLocal(repo.url(), "main"))
          .isInstanceOf(GitInputException.class)
          .hasMessage(repo.url() + " has not been fetched yet");
      git.fetch(repo.url());
      String two = repo.write("a.yaml", "a: 2").commit("two");
      assertThat(git.resolveLocal(repo.url(), "main")).isEqualTo(one);
      assertThat(git.resolve(repo.url(), "main")).isEqualTo(two);
      assertThat(git.resolveLocal(repo.url(), "HEAD"))
          .as("HEAD as the server has it")
          .isEqualTo(two);
    }
  }
}
