package dev.flotilla.git;

import java.nio.file.Path;

/**
 * Credentials for one repository (or, as a template, every repository under a URL prefix) that come
 * from a live source rather than the credentials file: the control plane's stored {@code repo add}
 * entries, or what an agent received from the control plane. Held in memory only; {@link #toString}
 * never shows a secret.
 *
 * @param url the repository URL, or the prefix of a template
 * @param template whether {@code url} is a prefix (Argo CD's {@code repo-creds}) rather than one
 *     repository
 * @param username user for HTTPS (null for SSH)
 * @param password password or token for HTTPS (null for SSH)
 * @param sshPrivateKey an unencrypted OpenSSH or PEM private key, as text (null for HTTPS)
 * @param insecureIgnoreHostKey accept any SSH host key, for this entry's repositories only
 * @param knownHosts the known-hosts file SSH host keys are checked against; null for {@code
 *     ~/.ssh/known_hosts}
 */
public record GitCredential(
    String url,
    boolean template,
    String username,
    String password,
    String sshPrivateKey,
    boolean insecureIgnoreHostKey,
    Path knownHosts) {

  boolean ssh() {
    return sshPrivateKey != null;
  }

  /** Whether this entry covers {@code repoUrl}: the same URL, or for a template a prefix of it. */
  boolean covers(String repoUrl) {
    return template ? repoUrl.startsWith(url) : repoUrl.equals(url);
  }

  /** The URL with any password written in it (https://user:PASSWORD@host/...) masked. */
  public String maskedUrl() {
    return url.replaceAll("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:******@");
  }

  @Override
  public String toString() {
    // Never the password or key: entries end up in error messages (and a repository URL an
    // Application names may carry a password of its own).
    return (ssh() ? "SSH key" : "user '" + username + "'")
        + (template ? " of the credential template " : " of the repository ")
        + maskedUrl()
        + (insecureIgnoreHostKey ? " (host key not checked)" : "");
  }
}
