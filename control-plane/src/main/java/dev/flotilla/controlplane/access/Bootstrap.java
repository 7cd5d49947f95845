package dev.flotilla.controlplane.access;

import dev.flotilla.controlplane.identity.PolicyRepository;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.controlplane.identity.UserRepository;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * First start: creates the {@code admin} user, binds it to {@code role:admin} in the global policy
 * and gives it a token, which is shown once. Later starts find the user and do nothing, so an
 * operator who removed the binding or the user stays in charge of that decision.
 */
public final class Bootstrap {

  public static final String ADMIN_USER = "admin";
  static final String ADMIN_BINDING = "g, " + ADMIN_USER + ", role:admin";

  private Bootstrap() {}

  /** The new admin token when this call created the admin user; empty when it existed. */
  public static Future<Optional<String>> ensureAdmin(
      UserRepository users, PolicyRepository policies, TokenRepository tokens) {
    return users
        .get(ADMIN_USER)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                return Future.succeededFuture(Optional.<String>empty());
              }
              return users
                  .create(ADMIN_USER, "bootstrap administrator")
                  .compose(u -> policies.get())
                  .compose(
                      stored ->
                          policies.put(
                              "# Created at first start: the bootstrap admin may do everything.\n"
                                  + ADMIN_BINDING
                                  + "\n"
                                  + stored.text(),
                              "bootstrap"))
                  .compose(p -> tokens.createForUser(ADMIN_USER, "bootstrap admin token", null))
                  .map(created -> Optional.of(created.plaintext()));
            });
  }
}
