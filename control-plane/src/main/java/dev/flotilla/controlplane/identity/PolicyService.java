package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;

/**
 * The global RBAC policy, for every entry point: reading needs {@code get} on {@code accounts}
 * {@code policy}, replacing {@code update}; a replacement is audited and takes effect at once.
 */
public final class PolicyService {

  private final PolicyRepository policies;
  private final AccessControl access;
  private final Audit audit;

  public PolicyService(PolicyRepository policies, AccessControl access, Audit audit) {
    this.policies = policies;
    this.access = access;
    this.audit = audit;
  }

  public Future<StoredPolicy> get(Caller caller) {
    if (!caller.sees(Resources.ACCOUNTS, "policy")) {
      return Future.failedFuture(ApiException.hidden("policy", "global"));
    }
    return policies.get();
  }

  /**
   * Replaces the whole policy text and, unless {@code defaultRole} is null, the default role (empty
   * for none).
   */
  public Future<StoredPolicy> replace(Caller caller, String text, String defaultRole) {
    try {
      if (text == null) {
        throw ApiException.invalid("policy: is required (the whole policy, one line per rule)");
      }
      ApiException.requireSize("policy", text);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return AccountChanges.change(
        audit,
        caller,
        Actions.UPDATE,
        "policy",
        () -> {
          Guard.require(caller, Resources.ACCOUNTS, Actions.UPDATE, "policy", "policy", "global");
          return policies.put(text, defaultRole, caller.name()).onSuccess(p -> access.invalidate());
        });
  }
}
