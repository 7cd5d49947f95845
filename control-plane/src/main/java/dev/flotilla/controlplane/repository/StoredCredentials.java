package dev.flotilla.controlplane.repository;

import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.git.GitCredential;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored {@code repo add} / {@code repocreds add} credentials, decrypted and held in memory for
 * the Git layer (the control plane's {@code GitCredentials.withLive}): reloaded at start and after
 * every add or remove, so a change takes effect at the next fetch without a restart. Also records
 * how each fetch of a stored repository went, with every secret masked out of the error.
 */
public final class StoredCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(StoredCredentials.class);

  /** What a secret is replaced with in a recorded error. */
  static final String MASK = "******";

  private final CredentialRepository store;
  private final SecretBox box;
  private final Path knownHosts;
  private volatile List<GitCredential> current = List.of();
  private volatile Runnable reloaded = () -> {};
  private volatile Runnable changedHere = () -> {};

  /**
   * @param knownHosts the known-hosts file stored SSH keys check host keys against; if it does not
   *     exist, {@code ~/.ssh/known_hosts}
   */
  public StoredCredentials(CredentialRepository store, SecretBox box, Path knownHosts) {
    this.store = store;
    this.box = box;
    this.knownHosts = knownHosts;
  }

  /**
   * Runs {@code listener} after every reload (start, add, remove): agents are then sent the
   * credentials they now need.
   */
  public void onReload(Runnable listener) {
    this.reloaded = listener;
  }

  /**
   * Runs {@code listener} after an add or remove made through this replica (not after a reload
   * another replica asked for): the other replicas are told to reload.
   */
  public void onChangeHere(Runnable listener) {
    this.changedHere = listener;
  }

  /** An entry was added, replaced or removed here: reload, and tell the other replicas. */
  public Future<Void> changed() {
    return reload().onSuccess(v -> changedHere.run());
  }

  /** The known-hosts file SSH entries are checked against (it may not exist). */
  public Path knownHosts() {
    return knownHosts;
  }

  /** The decrypted entries as last loaded; for the Git layer and agents' own repositories only. */
  public List<GitCredential> current() {
    return current;
  }

  /** Reads every entry again from Postgres. */
  public Future<Void> reload() {
    return store
        .sealed()
        .map(
            rows -> {
              Path hosts = knownHosts != null && Files.exists(knownHosts) ? knownHosts : null;
              current = rows.stream().map(r -> open(r, hosts)).toList();
              reloaded.run();
              return null;
            });
  }

  private GitCredential open(CredentialRepository.SealedRow row, Path hosts) {
    return new GitCredential(
        row.url(),
        row.template(),
        row.username(),
        row.passwordSealed() == null ? null : box.open(row.passwordSealed(), row.url()),
        row.sshPrivateKeySealed() == null ? null : box.open(row.sshPrivateKeySealed(), row.url()),
        row.insecureIgnoreHostKey(),
        hosts);
  }

  /**
   * Records, for a stored repository (templates and unknown URLs are skipped), that a fetch worked
   * ({@code error} null) or failed with {@code error}, every stored secret masked.
   */
  public Future<Void> recordFetch(String url, String error, Instant at) {
    if (current.stream().noneMatch(c -> !c.template() && c.url().equals(url))) {
      return Future.succeededFuture();
    }
    return store
        .recordFetch(url, error == null ? null : mask(error, current), at)
        .onFailure(e -> LOG.warn("could not record the fetch of {}", url, e));
  }

  /** {@code message} with every password, key and key line of {@code entries} masked. */
  static String mask(String message, List<GitCredential> entries) {
    String masked = message;
    for (GitCredential c : entries) {
      masked = replace(masked, c.password());
      if (c.sshPrivateKey() != null) {
        masked = replace(masked, c.sshPrivateKey());
        for (String line : c.sshPrivateKey().split("\\R")) {
          if (line.length() >= 16 && !line.startsWith("-----")) {
            masked = replace(masked, line.strip());
          }
        }
      }
    }
    // user:password@ in any URL a message quotes.
    return masked.replaceAll(
        "(?i)(\\b[a-z][a-z0-9+.-]*://[^/@\\s:]*):[^/@\\s]*@", "$1:" + MASK + "@");
  }

  private static String replace(String text, String secret) {
    return secret == null || secret.isEmpty() ? text : text.replace(secret, MASK);
  }
}
