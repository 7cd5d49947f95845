package dev.flotilla.git;

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

  /**
   * A fetch adds a pack. JGit repacks past {@code gc.autopacklimit} even with {@code gc.auto=0},
   * but kept the replaced packs for an hour, so from then on every fetch repacked everything and
   * left two more packs behind (61 after 56 fetches); see MirrorFetch.quietGc.
   */
  @Test
  void aMirrorFedOnePackPerFetchIsRepackedOncePastFiftyPacks() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      String url = tmp.resolve("repo").toUri().toString();
      GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
      String first = commit(git, "a.yaml", "0");
      cache.resolve(url, "main");
      int most = 0;
      String last = first;
      for (int i = 1; i <= 55; i++) {
        last = commit(git, "a.yaml", Integer.toString(i));
        assertThat(cache.resolve(url, "main")).isEqualTo(last);
        most = Math.max(most, packs());
      }
      assertThat(most).as("packs ever in the mirror").isGreaterThan(40).isLessThanOrEqualTo(51);
      assertThat(packs()).as("packs after 56 fetches").isLessThan(10);
      assertThat(Files.readString(cache.checkout(url, first).resolve("a.yaml"))).isEqualTo("0");
      assertThat(Files.readString(cache.checkout(url, last).resolve("a.yaml"))).isEqualTo("55");
    }
  }

  /** The pack files of the mirrors under the cache (checkouts hold none). */
  private int packs() throws Exception {
    try (var files = Files.walk(tmp.resolve("cache"))) {
      return (int) files.filter(f -> f.toString().endsWith(".pack")).count();
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
  void symlinksInsideAreKeptAsLinksAndALinkOutRefusesTheCommit() throws Exception {
    Path work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      commit(git, "apps/a.yaml", "x");
      Files.createSymbolicLink(work.resolve("apps/same.yaml"), Path.of("a.yaml"));
      String inside = commit(git, "apps/b.yaml", "y");
      Files.createSymbolicLink(work.resolve("apps/escape.yaml"), Path.of("/etc/hostname"));
      String outside = commit(git, "apps/c.yaml", "z");
      GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
      String url = work.toUri().toString();

      Path checkout = cache.checkout(url, inside);
      assertThat(Files.isSymbolicLink(checkout.resolve("apps/same.yaml"))).isTrue();
      assertThat(Files.readString(checkout.resolve("apps/same.yaml"))).isEqualTo("x");

      // As Argo CD does with out-of-bounds symlinks: the commit is refused, saying which link.
      assertThatThrownBy(() -> cache.checkout(url, outside))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("commit " + outside + " of " + url)
          .hasMessageContaining("symlink 'apps/escape.yaml' -> '/etc/hostname' is absolute");
    }
  }

  @Test
  void aMirrorKeptOpenSeesLaterFetchesAndAMirrorGoneFromDiskIsClonedAgain() throws Exception {
    try (Git git =
        Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
      String first = commit(git, "apps/a.yaml", "one");
      String url = tmp.resolve("repo").toUri().toString();
      GitCache cache = new GitCache(tmp.resolve("cache"), GitCredentials.none());
      assertThat(cache.resolve(url, "main")).isEqualTo(first);
      assertThat(cache.hasCommit(url, first)).isTrue();

      // The open mirror reads what each later fetch brings: refs, commits and their files.
      for (int i = 2; i <= 4; i++) {
        String next = commit(git, "apps/a.yaml", "v" + i);
        assertThat(cache.hasCommit(url, next)).as("not fetched yet").isFalse();
        assertThat(cache.resolve(url, next)).isEqualTo(next);
        assertThat(cache.resolveLocal(url, "main")).isEqualTo(next);
        assertThat(Files.readString(cache.checkout(url, next).resolve("apps/a.yaml")))
            .isEqualTo("v" + i);
        assertThat(new String(cache.snapshotLocal(url, next).read("apps/a.yaml", 100)))
            .isEqualTo("v" + i);
      }

      // Someone wipes the cache: nothing is read through the repository that was open.
      GitCache.deleteTree(tmp.resolve("cache"));
      assertThat(cache.hasCommit(url, first)).isFalse();
      assertThatThrownBy(() -> cache.resolveLocal(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessage(url + " has not been fetched yet");
      String last = commit(git, "apps/b.yaml", "new");
      assertThat(cache.resolve(url, "main")).as("cloned again").isEqualTo(last);
      assertThat(cache.hasCommit(url, first)).isTrue();
    }
  }
}
