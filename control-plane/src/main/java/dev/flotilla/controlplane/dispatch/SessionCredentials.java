package dev.flotilla.controlplane.dispatch;

import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository credentials of one agent: resolved for the repositories its assignments read (see
 * {@link AgentCredentials}), and the set it was last sent, so that a resync sends them only when
 * they changed. Only touched from the session's serialised chain.
 */
final class SessionCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(SessionCredentials.class);

  private final String cluster;
  private final AgentCredentialSource source;

  /** The credentials last sent; null before the first (a new agent process holds none). */
  private RepositoryCredentials sent;

  SessionCredentials(String cluster, AgentCredentialSource source) {
    this.cluster = cluster;
    this.source = source;
  }

  /** The message carrying the credentials of these repositories. */
  Future<RepositoryCredentials> resolve(Set<String> repositories) {
    List<GitCredential> chosen = AgentCredentials.select(repositories, source.stored());
    Future<String> hosts =
        AgentCredentials.checksHostKeys(chosen)
            ? source
                .knownHosts()
                .recover(
                    e -> {
                      // SSH entries then check against the agent's own known_hosts.
                      LOG.warn(
                          "cannot send known hosts to cluster '{}': {}", cluster, e.getMessage());
                      return Future.succeededFuture("");
                    })
            : Future.succeededFuture("");
    return hosts.map(text -> AgentCredentials.message(chosen, text));
  }

  /** Sends these unless they are what the agent was last sent. */
  void sendIfChanged(RepositoryCredentials set, Consumer<ControlMessage> out) {
    if (!set.equals(sent)) {
      send(set, out);
    }
  }

  /** Sends these, replacing what the agent holds. */
  void send(RepositoryCredentials set, Consumer<ControlMessage> out) {
    sent = set;
    if (set.getSerializedSize() > AgentLimits.MAX_MESSAGE_BYTES - AgentSession.MESSAGE_HEADROOM) {
      // It would break the agent's stream at every attempt; it keeps what it held.
      LOG.error(
          "the credentials of the {} repositories cluster '{}' reads are {} bytes, more than an"
              + " agent accepts in one message; they are not sent (give that agent its own"
              + " --git-credentials file, or trim ssh_known_hosts)",
          set.getEntriesCount(),
          cluster,
          set.getSerializedSize());
      return;
    }
    // Never logged: the message carries secrets (only the count is said).
    out.accept(ControlMessage.newBuilder().setRepositoryCredentials(set).build());
    LOG.debug(
        "sent credentials of {} repositories to cluster '{}'", set.getEntriesCount(), cluster);
  }
}
