package dev.flotilla.controlplane.repository;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Repository credentials with RBAC ({@code repositories}, object: the URL) and audit: stored
 * sealed, shown without secrets, and handed decrypted only to the Git layer ({@link #secrets}).
 */
public final class RepositoryService {

  private final CredentialRepository store;
  private final SecretBox box;
  private final Audit audit;

  public RepositoryService(CredentialRepository store, SecretBox box, Audit audit) {
    this.store = store;
    this.box = box;
    this.audit = audit;
  }

  /** The credentials the caller may see, secrets left out. */
  public Future<List<RepositoryCredential>> list(Caller caller) {
    return store
        .list()
        .map(
            all -> all.stream().filter(r -> caller.sees(Resources.REPOSITORIES, r.url())).toList());
  }

  public Future<RepositoryCredential> get(Caller caller, String url) {
    return store
        .get(url)
        .map(
            found -> {
              Guard.requireVisible(caller, Resources.REPOSITORIES, url, "repository", url);
              return found.orElseThrow(() -> ApiException.notFound("repository", url));
            });
  }

  /** Adds or replaces credentials (replacing needs {@code update} too). */
  public Future<RepositoryCredential> add(Caller caller, RepositoryRequest request) {
    JsonObject detail =
        new JsonObject()
            .put("template", request.template())
            .put("username", request.username())
            .put("ssh", request.sshPrivateKey() != null);
    return store
        .get(request.url() == null ? "" : request.url())
        .compose(
            existing ->
                audit.record(
                    caller,
                    existing.isPresent() ? Actions.UPDATE : Actions.CREATE,
                    Resources.REPOSITORIES,
                    String.valueOf(request.url()),
                    detail,
                    () -> {
                      request.check();
                      Guard.requireAllowed(
                          caller,
                          Resources.REPOSITORIES,
                          existing.isPresent() ? Actions.UPDATE : Actions.CREATE,
                          request.url());
                      return store
                          .upsert(seal(request))
                          .compose(v -> store.get(request.url()))
                          .map(Optional::orElseThrow);
                    }));
  }

  public Future<Void> remove(Caller caller, String url) {
    return audit.record(
        caller,
        Actions.DELETE,
        Resources.REPOSITORIES,
        url,
        null,
        () -> {
          Guard.requireVisible(caller, Resources.REPOSITORIES, url, "repository", url);
          Guard.requireAllowed(caller, Resources.REPOSITORIES, Actions.DELETE, url);
          return store
              .delete(url)
              .map(
                  deleted -> {
                    if (!deleted) {
                      throw ApiException.notFound("repository", url);
                    }
                    return null;
                  });
        });
  }

  /**
   * The decrypted credentials for fetching {@code url}: the repository's own entry, else the
   * template with the longest prefix of it, else none. For the Git layer only.
   */
  public Future<Optional<RepositorySecrets>> secrets(String url) {
    return store.sealed().map(rows -> best(rows, url).map(this::open));
  }

  /** Every stored credential, decrypted, for the Git layer's credential lookup. */
  public Future<List<RepositorySecrets>> allSecrets() {
    return store.sealed().map(rows -> rows.stream().map(this::open).toList());
  }

  static Optional<CredentialRepository.SealedRow> best(
      List<CredentialRepository.SealedRow> rows, String url) {
    Optional<CredentialRepository.SealedRow> exact =
        rows.stream().filter(r -> !r.template() && r.url().equals(url)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    return rows.stream()
        .filter(r -> r.template() && url.startsWith(r.url()))
        .max(Comparator.comparingInt(r -> r.url().length()));
  }

  private CredentialRepository.SealedRow seal(RepositoryRequest r) {
    return new CredentialRepository.SealedRow(
        r.url(),
        r.template(),
        r.username(),
        r.password() == null ? null : box.seal(r.password(), r.url()),
        r.sshPrivateKey() == null ? null : box.seal(r.sshPrivateKey(), r.url()),
        r.insecureIgnoreHostKey());
  }

  private RepositorySecrets open(CredentialRepository.SealedRow row) {
    return new RepositorySecrets(
        row.url(),
        row.template(),
        row.username(),
        row.passwordSealed() == null ? null : box.open(row.passwordSealed(), row.url()),
        row.sshPrivateKeySealed() == null ? null : box.open(row.sshPrivateKeySealed(), row.url()),
        row.insecureIgnoreHostKey());
  }
}
