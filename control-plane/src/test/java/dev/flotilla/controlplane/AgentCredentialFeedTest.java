package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.repository.StoredCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known_hosts text agents are sent: read again only when the file changed. */
class AgentCredentialFeedTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private AgentCredentialFeed feed(Path knownHosts) {
    return new AgentCredentialFeed(vertx, new StoredCredentials(null, null, knownHosts));
  }

  @Test
  void aMissingFileMeansNoHostKeys() throws Exception {
    assertThat(get(feed(dir.resolve("known_hosts")).knownHosts())).isEmpty();
  }

  @Test
  void theFileIsReadAgainWhenItChangesAndNotWhileItDoesNot() throws Exception {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "git.example ssh-ed25519 AAAA1\n");
    FileTime first = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(file, first);
    AgentCredentialFeed feed = feed(file);
    assertThat(get(feed.knownHosts())).isEqualTo("git.example ssh-ed25519 AAAA1\n");

    // Same size, same modification time: the text read before is reused.
    Files.writeString(file, "git.example ssh-ed25519 AAAA2\n");
    Files.setLastModifiedTime(file, first);
    assertThat(get(feed.knownHosts())).isEqualTo("git.example ssh-ed25519 AAAA1\n");

    // An operator's edit moves the modification time: read again.
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_060_000L));
    assertThat(get(feed.knownHosts())).isEqualTo("git.example ssh-ed25519 AAAA2\n");

    // A change of size is seen even within the file system's time resolution.
    Files.writeString(file, "git.example ssh-ed25519 AAAA2\nother.example ssh-rsa BBBB\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_060_000L));
    assertThat(get(feed.knownHosts())).contains("other.example");

    Files.delete(file);
    assertThat(get(feed.knownHosts())).as("removed: no host keys").isEmpty();
  }

  @Test
  void aFileTooLargeToBeKnownHostsIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve("known_hosts");
    Files.write(file, new byte[AgentCredentialFeed.MAX_KNOWN_HOSTS_BYTES + 1]);
    assertThatThrownBy(() -> get(feed(file).knownHosts()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("larger than");
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
