package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A Git repository on the local disk that Flotilla itself writes to, such as the demo's infra
 * repository. Reading and fetching remote repositories is {@link GitCache}'s job; this only creates
 * a repository and commits what its work tree holds.
 */
public final class LocalRepository {

  private LocalRepository() {}

  /**
   * Initialises a repository in {@code dir} (creating the directory) on {@code branch} if there is
   * none yet, and commits every file of its work tree, authored and committed by {@code authorName}
   * &lt;{@code authorEmail}&gt;. Commits are never signed, so no user configuration or key is
   * consulted.
   *
   * @throws IOException naming the directory, if it cannot be created or Git refuses the commit
   */
  public static void commitAll(
      Path dir, String branch, String message, String authorName, String authorEmail)
      throws IOException {
    Files.createDirectories(dir);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
      PersonIdent ident = new PersonIdent(authorName, authorEmail);
      git.add().addFilepattern(".").call();
      git.commit().setMessage(message).setAuthor(ident).setCommitter(ident).setSign(false).call();
    } catch (GitAPIException e) {
      throw new IOException(
          "cannot commit to the Git repository " + dir + ": " + e.getMessage(), e);
    }
  }
}
