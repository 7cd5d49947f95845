package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots read a commit's files from the mirror, within the limits, and write nothing. */
class GitSnapshotTest {

  @TempDir Path tmp;

  private static String commit(Git git, String file, String content) throws Exception {
    Path p = git.getRepository().getWorkTree().toPath().resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
    return git.commit()
        .setMessage(file)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .name();
  }

  private GitCache cache(long maxBytes, long maxFiles) {
    return new GitCache(
        tmp.resolve("cache"),
        GitCredentials.none(),
        new GitLimits(Duration.ofSeconds(30), maxBytes, maxFiles));
  }

  @Test
  void listsRegularFilesSortedLeavesLinksOutAndWritesNoCheckout() throws Exception {
    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      commit(git, "apps/b/config.yaml", "b");
      Files.createSymbolicLink(work.resolve("apps/link.yaml"), Path.of("/etc/hostname"));
      String sha = commit(git, "apps/a/config.yaml", "a");
      String url = work.toUri().toString();
      GitCache cache = cache(1 << 20, 100);

      GitSnapshot snapshot = cache.snapshot(url, "main");

      assertThat(snapshot.revision()).isEqualTo(sha);
      assertThat(snapshot.files()).containsExactly("apps/a/config.yaml", "apps/b/config.yaml");
      assertThat(new String(snapshot.read("apps/a/config.yaml", 100))).isEqualTo("a");
      assertThatThrownBy(() -> snapshot.read("apps/link.yaml", 100))
          .isInstanceOf(GitFetchException.class)
          .hasMessage("file 'apps/link.yaml' not found in " + url + " at " + sha);
      try (Stream<Path> all = Files.walk(tmp.resolve("cache"))) {
        assertThat(all.filter(p -> p.toString().contains("checkout"))).isEmpty();
      }
    }
  }

  @Test
  void aFileOverItsOwnLimitOrTheSnapshotsIsRefused() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      commit(git, "a.yaml", "x".repeat(600));
      String sha = commit(git, "b.yaml", "y".repeat(600));
      String url = tmp.resolve("repo").toUri().toString();
      GitSnapshot snapshot = cache(1000, 10).snapshot(url, "main");

      assertThatThrownBy(() -> snapshot.read("a.yaml", 100))
          .isInstanceOf(GitFetchException.class)
          .hasMessage("file 'a.yaml' is 600 bytes, over the limit of 100");
      assertThat(snapshot.read("a.yaml", 1000)).hasSize(600);
      assertThatThrownBy(() -> snapshot.read("b.yaml", 1000))
          .isInstanceOf(GitFetchException.class)
          .hasMessage(
              "reading 'b.yaml' takes the files read from "
                  + url
                  + " at "
                  + sha
                  + " over the limit of 1000 bytes");
      assertThatThrownBy(() -> cache(1000, 1).snapshot(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessage(url + " at " + sha + " has more than 1 files, over the limit");
    }
  }

  @Test
  void localReadsSayWhenNothingWasFetchedAndAnOldControlPlaneMirrorIsReplaced() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      String sha = commit(git, "a.yaml", "a");
      String url = tmp.resolve("repo").toUri().toString();
      GitCache cache = cache(1 << 20, 10);
      assertThatThrownBy(() -> cache.resolveLocal(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessage(url + " has not been fetched yet");
      assertThat(cache.hasCommit(url, sha)).isFalse();

      // The control plane used to keep its bare mirror directly in the repository's directory.
      cache.fetch(url);
      Path repoDir;
      try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
        repoDir = s.findFirst().orElseThrow();
      }
      Path mirror = repoDir.resolve("repo.git");
      Path legacy = tmp.resolve("legacy");
      Files.move(mirror, legacy);
      Files.delete(repoDir);
      Files.move(legacy, repoDir);
      assertThat(repoDir.resolve("objects")).isDirectory();

      assertThat(cache.resolve(url, "main")).isEqualTo(sha);
      assertThat(repoDir.resolve("objects")).as("the old mirror is gone").doesNotExist();
      assertThat(repoDir.resolve("repo.git/objects")).isDirectory();
      assertThat(cache.hasCommit(url, sha)).isTrue();
    }
  }
}
