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
import java.util.List;
import java.util.Optional;

/**
 * Repository credentials with RBAC ({@code repositories}, object: the URL) and audit: stored
 * sealed, shown without secrets, and handed decrypted only to the Git layer ({@link
 * StoredCredentials}, reloaded after every change).
 */
public final class RepositoryService {

  private final CredentialRepository store;
  private final SecretBox box;
  private final Audit audit;
  private final StoredCredentials live;

  public RepositoryService(
      CredentialRepository store, SecretBox box, Audit audit, StoredCredentials live) {
    this.store = store;
    this.box = box;
    this.audit = audit;
    this.live = live;
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

  /**
   * Adds or replaces credentials (replacing needs {@code update} too). A repository entry never
   * replaces a template of the same URL, nor the other way round.
   */
  public Future<RepositoryCredential> add(Caller caller, RepositoryRequest request) {
    JsonObject detail =
        new JsonObject()
            .put("template", request.template())
            .put("username", request.username())
            .put("ssh", request.sshPrivateKey() != null);
    String url = request.url() == null ? "" : request.url();
    return store
        .get(url)
        .compose(
            existing -> {
              // One the caller cannot see is refused in the words of any refused create.
              boolean replacing = existing.isPresent() && caller.sees(Resources.REPOSITORIES, url);
              return audit.record(
                  caller,
                  replacing ? Actions.UPDATE : Actions.CREATE,
                  Resources.REPOSITORIES,
                  RepositoryRequest.withoutPassword(url),
                  detail,
                  () -> {
                    request.check();
                    Guard.requireAllowed(
                        caller,
                        Resources.REPOSITORIES,
                        replacing ? Actions.UPDATE : Actions.CREATE,
                        url);
                    if (existing.isPresent() && !replacing) {
                      throw Guard.refusal(caller, Resources.REPOSITORIES, Actions.CREATE, url);
                    }
                    if (existing.isPresent() && existing.get().template() != request.template()) {
                      throw new ApiException(
                          ApiException.Kind.EXISTS, sameUrl(url, existing.get().template()));
                    }
                    return store
                        .upsert(seal(request))
                        .compose(v -> live.changed())
                        .compose(v -> store.get(url))
                        .map(Optional::orElseThrow);
                  });
            });
  }

  private static String sameUrl(String url, boolean template) {
    return template
        ? "'"
            + url
            + "' is a credential template; remove it first (flotilla repocreds rm "
            + url
            + ")"
        : "'" + url + "' is a repository; remove it first (flotilla repo rm " + url + ")";
  }

  /**
   * Removes a repository ({@code template} false), a template (true) or either (null); one of the
   * other kind answers like a missing one.
   */
  public Future<Void> remove(Caller caller, String url, Boolean template) {
    String what = Boolean.TRUE.equals(template) ? "credential template" : "repository";
    return audit.record(
        caller,
        Actions.DELETE,
        Resources.REPOSITORIES,
        RepositoryRequest.withoutPassword(url),
        null,
        () -> {
          Guard.requireVisible(caller, Resources.REPOSITORIES, url, what, url);
          Guard.requireAllowed(caller, Resources.REPOSITORIES, Actions.DELETE, url);
          return store
              .get(url)
              .compose(
                  found -> {
                    if (found.isEmpty() || template != null && found.get().template() != template) {
                      throw ApiException.notFound(what, url);
                    }
                    return store.delete(url);
                  })
              .compose(deleted -> live.changed());
        });
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
}
