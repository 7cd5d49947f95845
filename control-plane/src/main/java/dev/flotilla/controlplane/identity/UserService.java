package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;

/**
 * Users, for every entry point: a caller sees the users it may {@code get} ({@code accounts},
 * {@code users/<name>}) and changes need the matching {@code accounts} permission. Every change is
 * audited.
 */
public final class UserService {

  private final UserRepository users;
  private final Audit audit;

  public UserService(UserRepository users, Audit audit) {
    this.users = users;
    this.audit = audit;
  }

  /** The users the caller may see, by name, one page. */
  public Future<Page<User>> list(Caller caller, PageRequest page) {
    return users
        .list()
        .map(
            all ->
                page.apply(
                    all.stream()
                        .filter(u -> caller.sees(Resources.ACCOUNTS, "users/" + u.name()))
                        .toList(),
                    User::name));
  }

  public Future<User> create(Caller caller, String name, String displayName) {
    return AccountChanges.create(
        audit,
        caller,
        "user",
        name,
        () -> users.create(name, displayName == null ? "" : displayName));
  }

  /** Deletes the user with its memberships and tokens; NOT_FOUND when there is none. */
  public Future<Void> delete(Caller caller, String name) {
    return AccountChanges.delete(audit, caller, "user", name, () -> users.delete(name));
  }
}
