package dev.flotilla.agent.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCacheTest {

  @TempDir Path tmp;

  private String commit(Git git, String file, String content) throws Exception {
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

  @Test
  void resolvesBranchesTagsAndShasAndChecksOutImmutableTrees() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      String first = commit(git, "apps/a.yaml", "one");
      git.tag().setName("v1").call();
      String second = commit(git, "apps/a.yaml", "two");
      String url = tmp.resolve("repo").toUri().toString();
      GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());

      assertThat(cache.resolve(url, "main")).isEqualTo(second);
      assertThat(cache.resolve(url, "HEAD")).isEqualTo(second);
      assertThat(cache.resolve(url, "v1")).isEqualTo(first);
      assertThat(cache.resolve(url, first)).isEqualTo(first);

      Path old = cache.checkout(url, first);
      Path current = cache.checkout(url, second);
      assertThat(Files.readString(old.resolve("apps/a.yaml"))).isEqualTo("one");
      assertThat(Files.readString(current.resolve("apps/a.yaml"))).isEqualTo("two");
      assertThat(cache.checkout(url, second)).isEqualTo(current);

      String third = commit(git, "apps/b.yaml", "new");
      assertThat(cache.resolve(url, "main")).as("fetches new commits").isEqualTo(third);
    }
  }

  @Test
  void unknownRevisionsAndRepositoriesAreClearErrors() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      commit(git, "a.yaml", "x");
    }
    GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
    String url = tmp.resolve("repo").toUri().toString();
    assertThatThrownBy(() -> cache.resolve(url, "no-such-branch"))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("no-such-branch")
        .hasMessageContaining(url);
    String missing = tmp.resolve("missing").toUri().toString();
    assertThatThrownBy(() -> cache.resolve(missing, "main"))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("cannot clone")
        .hasMessageContaining("missing");
  }

  @Test
  void symlinksAreMaterialisedAsLinksForTheRendererToJudge() throws Exception {
    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      commit(git, "apps/a.yaml", "x");
      Files.createSymbolicLink(work.resolve("apps/escape.yaml"), Path.of("/etc/hostname"));
      String sha = commit(git, "apps/b.yaml", "y");
      GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
      Path checkout = cache.checkout(work.toUri().toString(), sha);
      assertThat(Files.isSymbolicLink(checkout.resolve("apps/escape.yaml"))).isTrue();
      assertThat(Files.readSymbolicLink(checkout.resolve("apps/escape.yaml")))
          .isEqualTo(Path.of("/etc/hostname"));
    }
  }
}
