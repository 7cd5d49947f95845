package dev.flotilla.controlplane.access;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.identity.EnforcerLoader;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.core.rbac.Enforcer;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Turns a bearer token into a {@link Caller}: the token is looked up in Postgres (hashed; unknown,
 * expired and revoked tokens are refused alike), and the caller's grants come from one {@link
 * Enforcer} snapshot of the global policy and every project's roles.
 *
 * <p>The snapshot is rebuilt after any policy or project change made through this control plane
 * ({@link #invalidate}) and at least every {@link #MAX_AGE}, so a change made by another replica
 * takes effect within seconds too.
 */
public final class AccessControl {

  static final Duration MAX_AGE = Duration.ofSeconds(5);

  private final TokenRepository tokens;
  private final EnforcerLoader loader;
  private Future<Enforcer> enforcer;
  private long loadedAtNanos;
  private long generation;

  public AccessControl(TokenRepository tokens, EnforcerLoader loader) {
    this.tokens = tokens;
    this.loader = loader;
  }

  /**
   * Authenticates an {@code Authorization} header value.
   *
   * @return fails with {@link ApiException.Kind#UNAUTHENTICATED} when the header is missing or the
   *     token is not (or no longer) valid
   */
  public Future<Caller> authenticate(String authorizationHeader) {
    String token = bearer(authorizationHeader);
    if (token == null) {
      return Future.failedFuture(
          ApiException.unauthenticated(
              "missing bearer token: send 'Authorization: Bearer <token>' (run 'flotilla login',"
                  + " or use the admin token printed at first start)"));
    }
    return tokens
        .authenticate(token)
        .compose(
            subject ->
                subject.isEmpty()
                    ? Future.failedFuture(
                        ApiException.unauthenticated(
                            "invalid, expired or revoked token: log in again with a valid token"))
                    : enforcer().map(e -> new Caller(subject.get(), e.grantsOf(subject.get()))));
  }

  /**
   * The caller behind a web UI session, which holds the hash of the token it was opened with: the
   * same subject, teams and grants as that token would have now, or UNAUTHENTICATED once the token
   * is revoked or expired.
   */
  public Future<Caller> authenticateTokenHash(String tokenHash) {
    return tokens
        .authenticateHash(tokenHash)
        .compose(
            subject ->
                subject.isEmpty()
                    ? Future.failedFuture(
                        ApiException.unauthenticated(
                            "the session's token is invalid, expired or revoked: log in again"))
                    : enforcer().map(e -> new Caller(subject.get(), e.grantsOf(subject.get()))));
  }

  /** The current policy snapshot; reloaded when stale. */
  public synchronized Future<Enforcer> enforcer() {
    long now = System.nanoTime();
    if (enforcer == null
        || now - loadedAtNanos > MAX_AGE.toNanos()
        || (enforcer.isComplete() && enforcer.failed())) {
      long mine = ++generation;
      loadedAtNanos = now;
      Future<Enforcer> loading = loader.load();
      enforcer = loading;
      // A failed load is retried by the next request instead of being cached for MAX_AGE.
      loading.onFailure(
          e -> {
            synchronized (this) {
              if (generation == mine) {
                enforcer = null;
              }
            }
          });
    }
    return enforcer;
  }

  /** Call after the policy or any project's roles changed: the next request sees the change. */
  public synchronized void invalidate() {
    generation++;
    enforcer = null;
  }

  static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
