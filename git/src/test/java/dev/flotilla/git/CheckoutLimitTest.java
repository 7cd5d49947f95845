package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkout writes at most so many bytes and files, and leaves nothing behind when refused. */
class CheckoutLimitTest {

  @TempDir Path tmp;

  private CraftedRepo repo;

  @BeforeEach
  void setUp() throws IOException {
    repo = new CraftedRepo(tmp.resolve("big.git"));
  }

  private GitCache cache(long maxBytes, long maxFiles) {
    return new GitCache(
        tmp.resolve("cache"),
        GitCredentials.none(),
        new GitLimits(Duration.ofSeconds(60), maxBytes, maxFiles));
  }

  @Test
  void aTreeExpandingPastTheByteLimitIsRefusedAndFitsUnderALargerOne() throws Exception {
    // A few KB in the pack, 4 MiB on disk: zeros compress well.
    byte[] zeros = new byte[2 << 20];
    String sha =
        repo.commit(
            repo.file("a.yaml", "small"),
            repo.dir("big", repo.file("one.bin", zeros), repo.file("two.bin", zeros)));

    assertThatThrownBy(() -> cache(3 << 20, 100).checkout(repo.url(), sha))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("commit " + sha + " of " + repo.url() + " cannot be checked out")
        .hasMessageContaining(
            "more than 3145728 bytes (the checkout limit), reached at 'big/two.bin'");
    assertThat(leftovers()).as("no half-written checkout").isEmpty();

    Path checkout = cache(5 << 20, 100).checkout(repo.url(), sha);
    assertThat(Files.size(checkout.resolve("big/two.bin"))).isEqualTo(2 << 20);
  }

  @Test
  void aTreeWithTooManyFilesIsRefused() throws Exception {
    String sha =
        repo.commit(
            repo.file("a", "1"),
            repo.file("b", "2"),
            repo.link("c", "a"),
            repo.dir("d", repo.file("e", "3")));

    assertThatThrownBy(() -> cache(1 << 20, 3).checkout(repo.url(), sha))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("commit " + sha)
        .hasMessageContaining("more than 3 files (the checkout limit)");
    assertThat(leftovers()).isEmpty();
    assertThat(cache(1 << 20, 4).checkout(repo.url(), sha).resolve("d/e")).hasContent("3");
  }

  @Test
  void stagingLeftByACrashAndCheckoutsFromBeforeTreesWereCheckedAreDeleted() throws Exception {
    String sha = repo.commit(repo.file("a.yaml", "a"));
    GitCache cache = cache(1 << 20, 10);
    cache.resolve(repo.url(), "main");
    Path repoDir;
    try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
      repoDir = s.findFirst().orElseThrow();
    }
    Path crashed = Files.createDirectories(repoDir.resolve("checkout-123/half"));
    Files.writeString(crashed.resolve("written.yaml"), "half");
    Path legacy = Files.createDirectories(repoDir.resolve("checkouts").resolve(sha));
    Files.writeString(legacy.resolve("a.yaml"), "written by the old, unchecked code");

    Path checkout = cache.checkout(repo.url(), sha);

    assertThat(checkout.resolve("a.yaml")).hasContent("a");
    assertThat(repoDir.resolve("checkout-123")).doesNotExist();
    assertThat(repoDir.resolve("checkouts")).doesNotExist();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new GitLimits(Duration.ZERO, 1, 1))
        .hasMessageContaining("at least one second");
    assertThatThrownBy(() -> new GitLimits(Duration.ofSeconds(1), 0, 1))
        .hasMessageContaining("must be positive");
  }

  /** Staging directories and checkouts in the cache. */
  private List<Path> leftovers() throws IOException {
    if (!Files.exists(tmp.resolve("cache"))) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
      return s.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith("checkout") || name.matches("[0-9a-f]{40}");
              })
          .filter(p -> !p.toString().contains("/repo.git/"))
          .toList();
    }
  }
}
