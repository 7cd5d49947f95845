package dev.flotilla.controlplane;

import dev.flotilla.controlplane.dispatch.AgentCredentialSource;
import dev.flotilla.controlplane.repository.StoredCredentials;
import dev.flotilla.git.GitCredential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The stored credentials as dispatch hands them to agents: the decrypted entries in memory, and the
 * control plane's known_hosts file read without blocking the event loop, again whenever it changed
 * (an operator may add a host key at any time).
 */
final class AgentCredentialFeed implements AgentCredentialSource {

  /** known_hosts lines are public keys; more than this is not a known_hosts file. */
  static final int MAX_KNOWN_HOSTS_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final StoredCredentials stored;

  /** The file's text as last read, with the modification time and size it had then. */
  private record KnownHosts(long modified, long size, String text) {}

  private volatile KnownHosts cached;

  AgentCredentialFeed(Vertx vertx, StoredCredentials stored) {
    this.vertx = vertx;
    this.stored = stored;
  }

  @Override
  public List<GitCredential> stored() {
    return stored.current();
  }

  @Override
  public Future<String> knownHosts() {
    String path = stored.knownHosts().toString();
    return vertx
        .fileSystem()
        .exists(path)
        .compose(exists -> exists ? read(path) : Future.succeededFuture(""));
  }

  /**
   * The file's text, read again only when its modification time or size changed: every agent's
   * resync asks (1,000 after a commit at 1,000 agents), and the file rarely changes.
   */
  private Future<String> read(String path) {
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              KnownHosts seen = cached;
              if (seen != null
                  && seen.modified() == props.lastModifiedTime()
                  && seen.size() == props.size()) {
                return Future.succeededFuture(seen.text());
              }
              return vertx
                  .fileSystem()
                  .readFile(path)
                  .map(this::text)
                  .onSuccess(
                      text ->
                          cached = new KnownHosts(props.lastModifiedTime(), props.size(), text));
            });
  }

  private String text(io.vertx.core.buffer.Buffer b) {
    if (b.length() > MAX_KNOWN_HOSTS_BYTES) {
      throw new IllegalStateException(
          stored.knownHosts()
              + " is larger than "
              + MAX_KNOWN_HOSTS_BYTES
              + " bytes; agents are sent no host keys from it");
    }
    return b.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
