package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Git server that stops answering fails its own repository's operations, and only those. */
class GitTimeoutTest {

  /** Far above the 1 s timeout: reached only when the timeout does not work. */
  private static final long GIVE_UP_SECONDS = 60;

  @TempDir Path tmp;

  // HTTP only: over SSH the key exchange waits for Apache MINA's own authentication timeout (two
  // minutes by default) before the transport timeout takes over for every read.
  @Test
  void anHttpServerThatNeverAnswersTimesOutWithAClearError() throws Exception {
    GitLimits limits = new GitLimits(Duration.ofSeconds(1), 1 << 20, 100);
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none(), limits);
    try (HangingServer server = new HangingServer()) {
      String url = server.url("http");
      CompletableFuture<String> resolve = async(() -> cache.resolve(url, "main"));

      assertThatThrownBy(() -> resolve.get(GIVE_UP_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("cannot clone " + url)
          .hasMessageContaining("timed out after 1s");
      assertThat(server.accepted()).isPositive();
    }
  }

  @Test
  void aHangingRepositoryDoesNotHoldUpAnother() throws Exception {
    String other = tmp.resolve("other").toUri().toString();
    String sha;
    try (Git git =
        Git.init().setDirectory(tmp.resolve("other").toFile()).setInitialBranch("main").call()) {
      Files.writeString(tmp.resolve("other/a.yaml"), "a");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      sha =
          git.commit()
              .setMessage("a")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call()
              .name();
    }
    // Long enough that the hanging fetch is still waiting while the other (local) repository is
    // served, short enough that the wait ends by itself: closing the server's sockets does not
    // always reach a JDK HTTP read blocked on loopback (seen once on CI), so the test must not
    // depend on it.
    GitLimits limits = new GitLimits(Duration.ofSeconds(20), 1 << 20, 100);
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none(), limits);
    CompletableFuture<String> hanging;
    try (HangingServer server = new HangingServer()) {
      String url = server.url("http");
      hanging = async(() -> cache.resolve(url, "main"));
      await().atMost(Duration.ofSeconds(GIVE_UP_SECONDS)).until(() -> server.accepted() > 0);

      assertThat(cache.resolve(other, "main")).isEqualTo(sha);
      assertThat(Files.readString(cache.checkout(other, sha).resolve("a.yaml"))).isEqualTo("a");
      assertThat(hanging).as("still waiting for the hung server").isNotDone();
    }
    // Closing the server's connections, or at the latest the timeout, ends the wait.
    assertThatThrownBy(() -> hanging.get(GIVE_UP_SECONDS, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(GitFetchException.class);
  }

  @Test
  void aCloneThatOutlastsItsDeadlineIsCancelled() throws Exception {
    String url = tmp.resolve("repo").toUri().toString();
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      Files.writeString(tmp.resolve("repo/a.yaml"), "a");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      git.commit().setMessage("a").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    // A deadline that has passed before the first object arrives stands for a server that
    // answers steadily but too slowly for the transport timeout to notice.
    GitLimits limits = new GitLimits(Duration.ofSeconds(60), 1 << 20, 100, Duration.ofMillis(1));
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none(), limits);

    assertThatThrownBy(() -> cache.resolve(url, "main"))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("cannot clone " + url)
        .hasMessageContaining("did not finish within 1ms (the Git deadline)");
  }

  interface GitCall<T> {
    T call() throws GitFetchException;
  }

  private static <T> CompletableFuture<T> async(GitCall<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (GitFetchException e) {
            throw new CompletionException(e);
          }
        });
  }
}
