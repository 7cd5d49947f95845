package dev.flotilla.controlplane.dispatch;

import dev.flotilla.git.GitCredential;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where the dispatcher finds the stored repository credentials it hands to agents: the decrypted
 * entries held in memory (repositories and templates) and the known_hosts lines SSH entries are
 * checked against. Implemented where the control plane is wired, so that dispatch needs nothing of
 * the repository feature.
 */
public interface AgentCredentialSource {

  /** No stored credentials: agents receive none. */
  AgentCredentialSource NONE =
      new AgentCredentialSource() {
        @Override
        public List<GitCredential> stored() {
          return List.of();
        }

        @Override
        public Future<String> knownHosts() {
          return Future.succeededFuture("");
        }
      };

  /** Every stored entry as last loaded, decrypted; never logged. */
  List<GitCredential> stored();

  /** The control plane's known_hosts text (public host keys); empty when it has none. */
  Future<String> knownHosts();
}
