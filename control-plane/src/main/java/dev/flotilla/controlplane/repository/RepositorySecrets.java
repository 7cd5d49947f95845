package dev.flotilla.controlplane.repository;

/**
 * What a fetch needs to authenticate, decrypted, in memory only: never serialised, logged or
 * returned by an API ({@link #toString} hides it).
 */
public record RepositorySecrets(
    String url,
    boolean template,
    String username,
    String password,
    String sshPrivateKey,
    boolean insecureIgnoreHostKey) {

  @Override
  public String toString() {
    return (template ? "credential template " : "repository ")
        + url
        + (sshPrivateKey != null
            ? " (SSH key)"
            : username != null ? " (user " + username + ")" : "");
  }
}
