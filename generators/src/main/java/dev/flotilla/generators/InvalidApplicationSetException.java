package dev.flotilla.generators;

/** The ApplicationSet document itself is unusable (malformed YAML, missing or wrong fields). */
public class InvalidApplicationSetException extends Exception {
  public InvalidApplicationSetException(String message) {
    super(message);
  }

  public InvalidApplicationSetException(String message, Throwable cause) {
    super(message, cause);
  }
}
