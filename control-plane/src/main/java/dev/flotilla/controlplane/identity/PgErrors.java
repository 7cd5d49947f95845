package dev.flotilla.controlplane.identity;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;

/** Turns Postgres constraint violations into errors a caller can show to a user. */
final class PgErrors {

  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  private PgErrors() {}

  static boolean is(Throwable e, String sqlState) {
    return e instanceof PgException pg && sqlState.equals(pg.getSqlState());
  }

  static <T> Future<T> onUnique(Throwable e, String message) {
    return Future.failedFuture(
        is(e, UNIQUE_VIOLATION) ? new IdentityConflictException(message) : e);
  }

  static <T> Future<T> onMissingReference(Throwable e, String message) {
    return Future.failedFuture(
        is(e, FOREIGN_KEY_VIOLATION) ? new IllegalArgumentException(message) : e);
  }
}
