package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryTest {

  @TempDir Path dir;

  @Test
  void createsTheRepositoryOnTheBranchAndCommitsEveryFile() throws Exception {
    Path repo = dir.resolve("infra");
    Files.createDirectories(repo.resolve("apps/web"));
    Files.writeString(repo.resolve("apps/web/deployment.yaml"), "kind: Deployment\n");
    Files.writeString(repo.resolve("README.md"), "# infra\n");

    LocalRepository.commitAll(repo, "main", "Initial apps", "Demo", "demo@example.invalid");

    try (Git git = Git.open(repo.toFile())) {
      assertThat(git.getRepository().getBranch()).isEqualTo("main");
      RevCommit head = git.log().call().iterator().next();
      assertThat(head.getFullMessage()).isEqualTo("Initial apps");
      assertThat(head.getAuthorIdent().getName()).isEqualTo("Demo");
      assertThat(head.getCommitterIdent().getEmailAddress()).isEqualTo("demo@example.invalid");
      try (TreeWalk walk = new TreeWalk(git.getRepository())) {
        walk.addTree(head.getTree());
        walk.setRecursive(true);
        java.util.List<String> paths = new java.util.ArrayList<>();
        while (walk.next()) {
          paths.add(walk.getPathString());
        }
        assertThat(paths).containsExactlyInAnyOrder("README.md", "apps/web/deployment.yaml");
      }
    }
  }

  @Test
  void aSecondCommitGoesOnTopOfTheFirst() throws Exception {
    Path repo = dir.resolve("infra");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("a.yaml"), "a: 1\n");
    LocalRepository.commitAll(repo, "main", "first", "Demo", "demo@example.invalid");
    Files.writeString(repo.resolve("a.yaml"), "a: 2\n");

    LocalRepository.commitAll(repo, "main", "second", "Demo", "demo@example.invalid");

    try (Git git = Git.open(repo.toFile())) {
      assertThat(git.log().call())
          .extracting(RevCommit::getShortMessage)
          .containsExactly("second", "first");
    }
  }

  @Test
  void aDirectoryThatIsAFileIsRefusedNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(
            () -> LocalRepository.commitAll(file, "main", "m", "Demo", "demo@example.invalid"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not-a-dir");
  }
}
