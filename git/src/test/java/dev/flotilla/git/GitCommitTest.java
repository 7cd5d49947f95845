package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GitCommitTest {

  @TempDir Path tmp;

  record Case(String name, String message, String subject) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> subjects() {
    String long201 = "x".repeat(201);
    return Stream.of(
        new Case("one line", "Scale web to 3", "Scale web to 3"),
        new Case("first line only", "Scale web\n\nBecause of load.\n", "Scale web"),
        new Case("surrounding blanks", "\n  Fix typo  \r\nbody", "Fix typo"),
        new Case("empty", "", ""),
        new Case("null", null, ""),
        new Case("exactly 200", "y".repeat(200), "y".repeat(200)),
        new Case("201 is cut with an ellipsis", long201, "x".repeat(199) + "…"),
        new Case("a character is never split", "a".repeat(198) + "😀😀", "a".repeat(198) + "…"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void subjectIsTheFirstLineCapped(Case c) {
    assertThat(GitCommit.subjectOf(c.message())).isEqualTo(c.subject());
    assertThat(GitCommit.subjectOf(c.message()).length())
        .isLessThanOrEqualTo(GitCommit.MAX_SUBJECT);
  }

  @Test
  void readsAuthorSubjectAndTimeOfAResolvedCommitWithoutAnotherFetch() throws Exception {
    String sha;
    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("a.yaml"), "x");
      git.add().addFilepattern(".").call();
      PersonIdent author =
          new PersonIdent(
              "Ada Lovelace",
              "ada@example.invalid",
              java.time.Instant.ofEpochSecond(1_700_000_000),
              java.time.ZoneOffset.UTC);
      sha =
          git.commit()
              .setMessage("Deploy billing v2\n\nLonger explanation.")
              .setAuthor(author)
              .setCommitter(author)
              .setSign(false)
              .call()
              .name();
    }
    String url = work.toUri().toString();
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
    cache.resolve(url, "main");
    int[] fetches = {0};
    cache.observeRequests((u, kind, took, failed) -> fetches[0]++);

    GitCommit commit = cache.commit(url, sha);

    assertThat(commit)
        .isEqualTo(new GitCommit(sha, "Ada Lovelace", "Deploy billing v2", 1_700_000_000_000L));
    assertThat(fetches[0]).as("read from the mirror, no network").isZero();
  }

  @Test
  void aCommitTheMirrorLacksIsAClearError() throws Exception {
    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("a.yaml"), "x");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("one").setSign(false).call();
    }
    String url = work.toUri().toString();
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
    cache.resolve(url, "main");
    String missing = "0123456789012345678901234567890123456789";
    assertThatThrownBy(() -> cache.commit(url, missing))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining(url);
  }
}
