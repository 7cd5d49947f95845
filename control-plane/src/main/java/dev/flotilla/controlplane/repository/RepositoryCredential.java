package dev.flotilla.controlplane.repository;

import java.time.OffsetDateTime;

/**
 * A repository's credentials as everyone may see them: whether a password or key is stored, never
 * what it is, and how the last fetch with them went.
 *
 * @param url the repository URL, or for a template the URL prefix it covers
 * @param template a credential template (Argo CD's {@code repo-creds}): used for every repository
 *     whose URL starts with {@code url}, unless a repository entry matches exactly
 */
public record RepositoryCredential(
    String url,
    boolean template,
    String username,
    boolean hasPassword,
    boolean hasSshPrivateKey,
    boolean insecureIgnoreHostKey,
    OffsetDateTime createdAt,
    OffsetDateTime lastSuccessAt,
    String lastError,
    OffsetDateTime lastErrorAt) {

  /** {@code ssh} or {@code https}, as {@code repo list} shows it. */
  public String type() {
    return hasSshPrivateKey ? "ssh" : "https";
  }
}
