package dev.flotilla.agent;

import java.util.Optional;

/**
 * Where {@link AssignmentStore} keeps its state between restarts: a local file or a ConfigMap in
 * the agent's own cluster. Blocking; implementations throw {@link StatePersistenceException} with a
 * message naming where the state lives.
 */
public interface AssignmentBackend {

  /** The stored document, or empty when nothing was stored yet. */
  Optional<String> load();

  /** Replaces the stored document. */
  void save(String document);

  /** Where the state lives, for logs and errors (e.g. "file /var/lib/..."). */
  String describe();
}
