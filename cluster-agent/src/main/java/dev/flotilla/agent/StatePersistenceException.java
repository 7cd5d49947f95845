package dev.flotilla.agent;

/**
 * The agent's assignments could not be read or written. The agent keeps working from memory; only a
 * restart without the control plane would lose what was not persisted.
 */
public final class StatePersistenceException extends RuntimeException {

  public StatePersistenceException(String message) {
    super(message);
  }

  public StatePersistenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
