package dev.flotilla.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A real Git repository in a temporary directory that tests commit to. */
public final class TestRepo implements AutoCloseable {

  private final Path dir;
  private final Git git;

  public TestRepo(Path dir) throws GitAPIException {
    this.dir = dir;
    this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
  }

  public String url() {
    return dir.toUri().toString();
  }

  public Path dir() {
    return dir;
  }

  public TestRepo write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  public TestRepo remove(String path) throws IOException {
    Files.delete(dir.resolve(path));
    return this;
  }

  /** Commits everything in the work tree; returns the new commit's SHA. */
  public String commit(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("test", "test@flotilla.invalid");
    return git.commit()
        .setMessage(message)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .name();
  }

  public static String configMap(String name, String key, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
        data:
          %s: "%s"
        """
        .formatted(name, key, value);
  }

  @Override
  public void close() {
    git.close();
  }
}
