package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The one shape of a change to an {@code accounts} object: permission check, work, audit record.
 */
final class AccountChanges {

  private AccountChanges() {}

  /**
   * Runs {@code work} once the caller may do {@code action} on {@code object} (decided before
   * looking anything up, so the answer does not reveal whether it exists), and audits the outcome.
   */
  static <T> Future<T> change(
      Audit audit, Caller caller, String action, String object, Supplier<Future<T>> work) {
    return audit
        .record(
            caller,
            action,
            Resources.ACCOUNTS,
            object,
            null,
            () -> {
              Guard.requireAllowed(caller, Resources.ACCOUNTS, action, object);
              return work.get();
            })
        .recover(e -> Future.failedFuture(mapped(e)));
  }

  /** A name taken by another user or team is a conflict for every entry point. */
  static Throwable mapped(Throwable e) {
    return e instanceof IdentityConflictException
        ? new ApiException(ApiException.Kind.EXISTS, e.getMessage())
        : e;
  }

  /** Succeeds when {@code deleted} says something was deleted; NOT_FOUND otherwise. */
  static Future<Void> found(Future<Boolean> deleted, String what, String name) {
    return deleted.compose(
        d -> d ? Future.succeededFuture() : Future.failedFuture(ApiException.notFound(what, name)));
  }

  /** Refuses a missing or blank required text field before anything is looked up or audited. */
  static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalid(field + ": is required");
    }
    return value;
  }

  /**
   * Creates the {@code kind} ("user", "team") called {@code name}, which is required, as {@link
   * #change} does.
   */
  static <T> Future<T> create(
      Audit audit, Caller caller, String kind, String name, Supplier<Future<T>> work) {
    try {
      required("name", name);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return change(audit, caller, Actions.CREATE, kind + "s/" + name, work);
  }

  /** Deletes the {@code kind} called {@code name}; NOT_FOUND when {@code work} deleted nothing. */
  static Future<Void> delete(
      Audit audit, Caller caller, String kind, String name, Supplier<Future<Boolean>> work) {
    return change(
        audit, caller, Actions.DELETE, kind + "s/" + name, () -> found(work.get(), kind, name));
  }
}
