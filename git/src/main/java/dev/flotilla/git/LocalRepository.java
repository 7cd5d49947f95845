package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
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

  /**
   * The commit {@code branch} points at in the repository at {@code dir}, if the repository and the
   * branch exist.
   *
   * @throws IOException naming the directory, if the repository cannot be read
   */
  public static Optional<String> head(Path dir, String branch) throws IOException {
    if (!Files.isDirectory(dir.resolve(".git"))) {
      return Optional.empty();
    }
    try (Git git = Git.open(dir.toFile())) {
      ObjectId id = git.getRepository().resolve("refs/heads/" + branch);
      return Optional.ofNullable(id).map(ObjectId::name);
    } catch (IOException e) {
      throw new IOException("cannot read the Git repository " + dir + ": " + e.getMessage(), e);
    }
  }
}
