package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clone or fetch receives at most so many bytes: a larger pack is cancelled, nothing kept. */
class FetchSizeLimitTest {

  @TempDir Path tmp;

  @Test
  void aPackLargerThanTheFetchLimitIsCancelledAndFitsUnderALargerOne() throws Exception {
    CraftedRepo repo = new CraftedRepo(tmp.resolve("big.git"));
    // About 3 MiB of pack: random bytes do not compress.
    Random random = new Random(42);
    List<CraftedRepo.Entry> files = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] content = new byte[16 << 10];
      random.nextBytes(content);
      files.add(repo.file(String.format("f%03d.bin", i), content));
    }
    String sha = repo.commit(files.toArray(CraftedRepo.Entry[]::new));
    GitLimits limits =
        new GitLimits(Duration.ofSeconds(60), 64L << 20, 10_000).withMaxFetchBytes(1 << 20);

    GitCache small = new GitCache(tmp.resolve("cache"), GitCredentials.none(), limits);
    assertThatThrownBy(() -> small.resolve(repo.url(), "main"))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("cannot clone " + repo.url())
        .hasMessageContaining("the transfer exceeded 1 MiB (the Git fetch size limit)");
    try (Stream<Path> left = Files.walk(tmp.resolve("cache"))) {
      assertThat(left.filter(Files::isRegularFile).toList())
          .as("nothing of the cancelled transfer is kept")
          .isEmpty();
    }

    GitCache large =
        new GitCache(
            tmp.resolve("cache"), GitCredentials.none(), limits.withMaxFetchBytes(8 << 20));
    assertThat(large.resolve(repo.url(), "main")).isEqualTo(sha);
  }

  @Test
  void theLimitMustBePositive() {
    assertThatThrownBy(() -> GitLimits.DEFAULTS.withMaxFetchBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fetch size limit must be positive");
    assertThat(GitLimits.DEFAULTS.maxFetchBytes()).isEqualTo(2L << 30);
  }
}
