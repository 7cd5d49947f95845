package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.flotilla.git.CraftedRepo.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crafted Git trees checked out by the agent's real {@link GitCache}, with a canary directory and
 * the agent's own state file beside the cache: nothing may be written outside the checkout, and a
 * tree that tries is refused with a message naming the entry and the commit.
 */
class HostileTreeTest {

  @TempDir Path tmp;

  private Path canary;
  private Path agentDir;
  private Path stateFile;
  private CraftedRepo repo;
  private GitCache cache;

  /** What a case may refer to when it builds its tree. */
  record Paths(Path canary, Path agentDir) {}

  interface TreeBuilder {
    Entry[] build(CraftedRepo repo, Paths paths) throws IOException;
  }

  record Case(String name, TreeBuilder tree, String refusal) {
    @Override
    public String toString() {
      return name;
    }
  }

  // The staging directory is <agent>/git/<repo key>/checkout-N: four levels up is the temp dir.
  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "symlink to a directory outside, then a directory of the same name",
            (r, p) ->
                new Entry[] {
                  r.link("esc", p.canary().toString()), r.dir("esc", r.file("x.yaml", "pwned"))
                },
            "'esc' appears twice in its directory (as a symlink and as a directory)"),
        new Case(
            "directory first, then a symlink of the same name",
            (r, p) ->
                new Entry[] {
                  r.dir("esc", r.file("x.yaml", "pwned")), r.link("esc", p.canary().toString())
                },
            "'esc' appears twice in its directory (as a directory and as a symlink)"),
        new Case(
            "symlink plus a blob whose name runs through it",
            (r, p) ->
                new Entry[] {r.link("esc", p.canary().toString()), r.file("esc/x.yaml", "pwned")},
            "entry 'esc/x.yaml' has a name Git never writes"),
        new Case(
            "relative ../../../../canary link plus entries under it",
            (r, p) ->
                new Entry[] {
                  r.link("up", "../../../../canary"), r.dir("up", r.file("x.yaml", "pwned"))
                },
            "'up' appears twice"),
        new Case(
            "relative ../../.. link to the agent's state dir plus its state file under it",
            (r, p) ->
                new Entry[] {
                  r.link("up", "../../.."), r.dir("up", r.file("assignments.json", "pwned"))
                },
            "'up' appears twice"),
        new Case(
            "absolute link to the agent's state dir plus its state file under it",
            (r, p) ->
                new Entry[] {
                  r.dir("state", r.file("assignments.json", "pwned")),
                  r.link("state", p.agentDir().toString())
                },
            "'state' appears twice"),
        new Case(
            "nested link in a subdirectory plus entries under it",
            (r, p) ->
                new Entry[] {
                  r.dir(
                      "apps",
                      r.dir(
                          "sub",
                          r.link("esc", "../../../../../../canary"),
                          r.dir("esc", r.file("x.yaml", "pwned"))))
                },
            "'apps/sub/esc' appears twice"),
        new Case(
            "absolute link alone",
            (r, p) -> new Entry[] {r.link("abs", p.canary().toString())},
            "symlink 'abs' -> '"),
        new Case(
            "relative link alone that climbs out of the repository",
            (r, p) -> new Entry[] {r.dir("apps", r.link("up", "../../../../../canary"))},
            "symlink 'apps/up' -> '../../../../../canary' leads outside the repository"),
        new Case(
            "chain of links, each inside on its own, that climbs out",
            (r, p) -> new Entry[] {r.dir("sub", r.link("d", "..")), r.link("f", "sub/d/../canary")},
            "symlink 'f' -> 'sub/d/../canary' leads outside the repository"),
        new Case(
            "links in a loop",
            (r, p) -> new Entry[] {r.link("a", "b/x"), r.link("b", "a/x")},
            "goes round a loop of links"),
        new Case(
            "an entry named ..",
            (r, p) -> new Entry[] {r.dir("..", r.file("x.yaml", "pwned"))},
            "entry '..' has a name Git never writes"),
        new Case(
            "a name that climbs out by itself",
            (r, p) -> new Entry[] {r.file("../../../../canary/x.yaml", "pwned")},
            "entry '../../../../canary/x.yaml' has a name Git never writes"),
        new Case(
            "a .git directory",
            (r, p) -> new Entry[] {r.dir(".GIT", r.file("config", "[core]\n"))},
            "entry '.GIT' has a name Git never writes"),
        new Case(
            "two files of the same name",
            (r, p) -> new Entry[] {r.file("a.yaml", "one"), r.file("a.yaml", "two")},
            "'a.yaml' appears twice in its directory (as a file and as a file)"));
  }

  @BeforeEach
  void setUp() throws IOException {
    canary = Files.createDirectories(tmp.resolve("canary"));
    Files.writeString(canary.resolve("keep.txt"), "canary");
    agentDir = Files.createDirectories(tmp.resolve("agent"));
    stateFile = Files.writeString(agentDir.resolve("assignments.json"), "{\"state\":1}");
    repo = new CraftedRepo(tmp.resolve("hostile.git"));
    cache = new GitCache(agentDir.resolve("git"), GitCredentials.none());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesTheTreeAndWritesNothingOutsideTheCheckout(Case c) throws Exception {
    Set<Path> before = filesOutsideGitDirs();
    String sha = repo.commit(c.tree().build(repo, new Paths(canary, agentDir)));

    Throwable refused = catchThrowable(() -> cache.checkout(repo.url(), sha));

    assertThat(list(canary)).as("canary dir").containsExactly(canary.resolve("keep.txt"));
    assertThat(Files.readString(stateFile)).as("agent state").isEqualTo("{\"state\":1}");
    assertThat(filesOutsideGitDirs()).as("no file written anywhere").isEqualTo(before);
    assertThat(refused)
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("commit " + sha + " of " + repo.url() + " cannot be checked out")
        .hasMessageContaining(c.refusal());
    assertThat(leftovers()).as("no half-written checkout").isEmpty();
  }

  @Test
  void aRepositoryWithLinksThatStayInsideStillChecksOutAndARefusedCommitDoesNotStickToIt()
      throws Exception {
    String bad = repo.commit(repo.link("esc", canary.toString()), repo.file("esc/x.yaml", "x"));
    assertThatThrownBy(() -> cache.checkout(repo.url(), bad)).isInstanceOf(GitFetchException.class);

    String good =
        repo.commit(
            repo.dir(
                "apps",
                repo.file("a.yaml", "kind: ConfigMap\n"),
                repo.link("b.yaml", "a.yaml"),
                repo.dir("deep", repo.link("up", "../../apps/a.yaml"))),
            repo.link("shared", "apps"),
            repo.link("dangling", "nowhere/at/all"),
            repo.link("self", "."));
    assertThat(cache.resolve(repo.url(), "main")).isEqualTo(good);
    Path checkout = cache.checkout(repo.url(), good);

    assertThat(Files.readString(checkout.resolve("apps/a.yaml"))).isEqualTo("kind: ConfigMap\n");
    assertThat(Files.isSymbolicLink(checkout.resolve("apps/b.yaml"))).isTrue();
    assertThat(Files.readString(checkout.resolve("apps/b.yaml"))).isEqualTo("kind: ConfigMap\n");
    assertThat(Files.readString(checkout.resolve("shared/deep/up"))).isEqualTo("kind: ConfigMap\n");
    assertThat(checkout.resolve("shared/deep/up").toRealPath())
        .isEqualTo(checkout.resolve("apps/a.yaml").toRealPath());
    assertThat(Files.isSymbolicLink(checkout.resolve("dangling"))).isTrue();
    assertThat(list(canary)).containsExactly(canary.resolve("keep.txt"));
    assertThat(leftovers()).as("only the good checkout").containsExactly(checkout);
  }

  /** Regular files and links under the temp dir, except inside the Git repositories themselves. */
  private Set<Path> filesOutsideGitDirs() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !p.startsWith(tmp.resolve("hostile.git")))
          .filter(p -> !p.toString().contains("/repo.git/"))
          .collect(Collectors.toSet());
    }
  }

  /** Staging directories and checkouts left in the cache. */
  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.walk(agentDir.resolve("git"))) {
      return s.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith("checkout-") || name.matches("[0-9a-f]{40}");
              })
          .filter(p -> !p.toString().contains("/repo.git/"))
          .toList();
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
