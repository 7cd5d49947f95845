package dev.flotilla.controlplane.repository;

import dev.flotilla.controlplane.ApiException;
import java.util.Locale;

/**
 * What {@code repo add} asks for, checked before anything is stored: every mistake is named, and no
 * message ever repeats a password or key.
 */
public record RepositoryRequest(
    String url,
    boolean template,
    String username,
    String password,
    String sshPrivateKey,
    boolean insecureIgnoreHostKey) {

  static final int MAX_URL = 2048;
  static final int MAX_SECRET = 64 * 1024;

  @Override
  public String toString() {
    return "RepositoryRequest[" + url + (template ? ", template" : "") + "]";
  }

  /**
   * @throws ApiException (400) naming what is wrong
   */
  void check() {
    if (url == null || url.isBlank()) {
      throw ApiException.invalid(
          "url: give the repository URL (https://…, ssh://… or git@host:path)");
    }
    if (url.length() > MAX_URL || url.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw ApiException.invalid(
          "url: must be at most " + MAX_URL + " characters without spaces or control characters");
    }
    // Before anything quotes the URL: it may hold a password.
    if (!withoutPassword(url).equals(url)) {
      throw ApiException.invalid(
          "url: put the user name and password in --username/--password, not in the URL");
    }
    boolean ssh = isSsh(url);
    String lower = url.toLowerCase(Locale.ROOT);
    if (!ssh && !lower.startsWith("https://") && !lower.startsWith("http://")) {
      throw ApiException.invalid(
          "url: '" + url + "' is neither https://, http://, ssh:// nor git@host:path");
    }
    if (password != null && password.length() > MAX_SECRET
        || sshPrivateKey != null && sshPrivateKey.length() > MAX_SECRET) {
      throw ApiException.invalid("a password or key longer than 64 KiB is not a credential");
    }
    if (ssh) {
      if (password != null) {
        throw ApiException.invalid(
            "password: an SSH repository authenticates with --ssh-private-key-path, not a password");
      }
      if (sshPrivateKey != null) {
        checkKey(sshPrivateKey);
      }
    } else {
      if (sshPrivateKey != null) {
        throw ApiException.invalid(
            "sshPrivateKey: '"
                + url
                + "' is an HTTPS URL; use --username and --password (or a token)");
      }
      if (insecureIgnoreHostKey) {
        throw ApiException.invalid(
            "insecureIgnoreHostKey: only SSH repositories have host keys; for HTTPS give the"
                + " server's CA to the control plane instead");
      }
      if (password != null && (username == null || username.isBlank())) {
        throw ApiException.invalid(
            "username: a password or token needs a user name (for a token, any name your Git host"
                + " accepts, e.g. 'git')");
      }
      if (username != null && password == null) {
        throw ApiException.invalid("password: user '" + username + "' needs a password or token");
      }
    }
  }

  /** {@code url} with the password of a {@code scheme://user:password@} part masked. */
  static String withoutPassword(String url) {
    return url.replaceAll("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:******@");
  }

  static boolean isSsh(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("ssh://") || lower.matches("^[a-z0-9._-]+@[^/:]+:.*");
  }

  private static void checkKey(String key) {
    String text = key.strip();
    if (!text.startsWith("-----BEGIN ") || !text.contains("PRIVATE KEY-----")) {
      throw ApiException.invalid(
          "sshPrivateKey: not a private key in OpenSSH or PEM form (it should start with"
              + " '-----BEGIN OPENSSH PRIVATE KEY-----')");
    }
    if (text.contains("ENCRYPTED")) {
      throw ApiException.invalid(
          "sshPrivateKey: the key is protected by a passphrase; store an unencrypted deploy key");
    }
  }
}
