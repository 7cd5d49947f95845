package dev.flotilla.controlplane.secret;

/** A stored secret that cannot be read; the message says why, never what it holds. */
public final class SecretException extends RuntimeException {

  public SecretException(String message) {
    super(message);
  }
}
