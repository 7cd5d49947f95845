package dev.flotilla.core.tls;

/**
 * A TLS file given on the command line cannot be used; the message names the flag and the file and
 * is meant to be shown to the user as it is.
 */
public final class TlsConfigException extends IllegalArgumentException {
  public TlsConfigException(String message) {
    super(message);
  }
}
