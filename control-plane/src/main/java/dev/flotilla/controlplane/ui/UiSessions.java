package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.cluster.JoinTokens;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Opens, resolves and closes web UI sessions. A session is worth exactly its API token: opening one
 * checks the token, and every request re-checks it by hash, so revoking the token (or its expiry)
 * ends the session at once; the session also ends after {@link #MAX_AGE}.
 */
public final class UiSessions {

  /**
   * A working day: long enough not to interrupt an incident, short enough to be re-checked daily.
   */
  public static final Duration MAX_AGE = Duration.ofHours(12);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final UiSessionRepository repository;
  private final AccessControl access;
  private final Clock clock;
  private final Duration maxAge;

  public UiSessions(
      UiSessionRepository repository, AccessControl access, Clock clock, Duration maxAge) {
    this.repository = repository;
    this.access = access;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** A new session for {@code token}; the returned cookie value is shown to the browser once. */
  public Future<Opened> open(String token) {
    String presented = token == null ? "" : token.strip();
    if (presented.isEmpty()) {
      return Future.failedFuture(ApiException.invalid("enter an API token"));
    }
    return access
        .authenticate("Bearer " + presented)
        .recover(
            e ->
                Future.failedFuture(
                    ApiException.unauthenticated(
                        "that token is not valid (unknown, expired or revoked): create one with"
                            + " 'flotilla token create' or use the admin token printed at first"
                            + " start")))
        .compose(
            caller -> {
              String cookie = random();
              UiSession session =
                  new UiSession(
                      JoinTokens.hash(cookie),
                      JoinTokens.hash(presented),
                      random(),
                      clock.instant().plus(maxAge));
              return repository
                  .insert(session, clock.instant())
                  .map(v -> new Opened(cookie, session, caller));
            });
  }

  /** The session and caller behind a cookie value; empty when there is none or it has ended. */
  public Future<Optional<Resolved>> resolve(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 200) {
      return Future.succeededFuture(Optional.empty());
    }
    return repository
        .find(JoinTokens.hash(cookie), clock.instant())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Optional.<Resolved>empty());
              }
              UiSession session = found.get();
              return access
                  .authenticateTokenHash(session.tokenHash())
                  .map(caller -> Optional.of(new Resolved(session, caller)))
                  .recover(
                      e ->
                          e instanceof ApiException
                              ? repository.delete(session.idHash()).map(v -> Optional.empty())
                              : Future.failedFuture(e));
            });
  }

  public Future<Void> close(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 200) {
      return Future.succeededFuture();
    }
    return repository.delete(JoinTokens.hash(cookie));
  }

  /** Constant-time check of a submitted CSRF token against the session's. */
  public static boolean csrfMatches(UiSession session, String submitted) {
    if (submitted == null) {
      return false;
    }
    return MessageDigest.isEqual(
        session.csrf().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        submitted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Future<Integer> forgetExpired() {
    return repository.deleteExpired(clock.instant());
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A session just opened: {@code cookie} is its only plaintext. */
  public record Opened(String cookie, UiSession session, Caller caller) {
    @Override
    public String toString() {
      return "Opened[" + session + "]";
    }
  }

  /** A request's session and who it acts for. */
  public record Resolved(UiSession session, Caller caller) {}
}
