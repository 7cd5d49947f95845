package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * API tokens, for every entry point. Anyone may manage their own; another user's need {@code
 * update} on {@code accounts} {@code users/<name>}, a project role's {@code update} on the project.
 * A token's secret exists only in the answer to {@link #create}. Every creation and revocation is
 * audited, refused ones included.
 */
public final class TokenService {

  private final TokenRepository tokens;
  private final Audit audit;

  public TokenService(TokenRepository tokens, Audit audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  /**
   * The tokens of a user ({@code user}; null means the caller) or of a project, by id, one page.
   */
  public Future<Page<ApiToken>> list(Caller caller, String user, String project, PageRequest page) {
    Future<List<ApiToken>> list;
    try {
      if (project != null && user != null) {
        throw ApiException.invalid("user: give either user or project, not both");
      }
      if (project != null) {
        Guard.requireVisible(caller, Resources.PROJECTS, project, "project", project);
        list = tokens.listForProject(project);
      } else {
        String who = user != null ? user : caller.name();
        if (!who.equals(caller.name())) {
          Guard.requireVisible(caller, Resources.ACCOUNTS, "users/" + who, "user", who);
        }
        list = tokens.listForUser(who);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return list.map(
        all ->
            page.apply(
                all.stream().sorted(Comparator.comparingLong(ApiToken::id).reversed()).toList(),
                TokenService::pageKey));
  }

  /**
   * Fixed-width text that sorts as the ids do in reverse, so that the page token's text order is
   * the list's newest-first order.
   */
  static String pageKey(ApiToken t) {
    return String.format("%019d", Long.MAX_VALUE - t.id());
  }

  /** Checks the combination of fields (REST and gRPC name them alike) and creates the token. */
  public Future<CreatedToken> create(Caller caller, TokenRequest r) {
    try {
      if (r.project() != null && r.role() == null) {
        throw ApiException.invalid("role: is required with project");
      }
      if (r.project() == null && r.role() != null) {
        throw ApiException.invalid("role: only with project (a user token acts as its user)");
      }
      if (r.project() != null && r.user() != null) {
        throw ApiException.invalid("user: give either user or project, not both");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String description = r.description() == null ? "" : r.description();
    JsonObject details =
        new JsonObject().put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
    if (caller.subject().isProjectRole()) {
      // A short-lived CI token must not be able to mint a longer-lived one.
      return audit.record(
          caller,
          Actions.UPDATE,
          r.project() != null ? Resources.PROJECTS : Resources.ACCOUNTS,
          r.project() != null
              ? r.project()
              : "users/" + (r.user() == null ? caller.name() : r.user()),
          details,
          () ->
              Future.failedFuture(
                  ApiException.forbidden("a project-role token cannot create tokens")));
    }
    if (r.project() != null) {
      return audit
          .record(
              caller,
              Actions.UPDATE,
              Resources.PROJECTS,
              r.project(),
              details.put("token", "proj:" + r.project() + ":" + r.role()),
              () -> {
                Guard.require(
                    caller,
                    Resources.PROJECTS,
                    Actions.UPDATE,
                    r.project(),
                    "project",
                    r.project());
                return tokens.createForProjectRole(
                    r.project(), r.role(), description, r.expiresAt());
              })
          .recover(e -> Future.failedFuture(AccountChanges.mapped(e)));
    }
    String who = r.user() != null ? r.user() : caller.name();
    return audit
        .record(
            caller,
            Actions.UPDATE,
            Resources.ACCOUNTS,
            "users/" + who,
            details.put("token", "user"),
            () -> {
              if (!who.equals(caller.name())) {
                Guard.require(
                    caller, Resources.ACCOUNTS, Actions.UPDATE, "users/" + who, "user", who);
              }
              return tokens.createForUser(who, description, r.expiresAt());
            })
        .recover(e -> Future.failedFuture(AccountChanges.mapped(e)));
  }

  /** Revokes a token: its owner may, or whoever may update its user or project. */
  public Future<Void> revoke(Caller caller, long id) {
    return tokens
        .get(id)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("token", String.valueOf(id)));
              }
              ApiToken t = found.get();
              boolean own = t.user() != null && t.user().equals(caller.name());
              String resource = t.user() != null ? Resources.ACCOUNTS : Resources.PROJECTS;
              String object = t.user() != null ? "users/" + t.user() : t.project();
              return audit.record(
                  caller,
                  Actions.UPDATE,
                  resource,
                  object,
                  new JsonObject().put("revokeToken", id),
                  () -> {
                    if (!own) {
                      Guard.require(
                          caller, resource, Actions.UPDATE, object, "token", String.valueOf(id));
                    }
                    if (t.revoked()) {
                      return Future.failedFuture(
                          new ApiException(
                              ApiException.Kind.PRECONDITION,
                              "token " + id + " is already revoked"));
                    }
                    return tokens.revoke(id).<Void>mapEmpty();
                  });
            });
  }
}
