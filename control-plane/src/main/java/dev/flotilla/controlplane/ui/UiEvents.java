package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server push for open pages ({@code GET /ui/events}, Server-Sent Events): the names of visible
 * Applications that changed, coalesced per {@link #COALESCE} so that a fleet-wide change is one
 * event, not thousands. Names the caller may not see are never sent. A page that gets an event
 * re-reads itself. The stream closes when the session ends: at its expiry, at once when it is
 * logged out here, and at the next keepalive when it ended otherwise (its token revoked, logged out
 * on another replica); the browser's reconnect then gets a 401, which the page script shows as
 * "Your session has ended".
 */
public final class UiEvents {

  static final Duration COALESCE = Duration.ofMillis(250);
  static final Duration KEEPALIVE = Duration.ofSeconds(25);

  /** More changes than this in one window are sent as "*" (everything may have changed). */
  static final int MAX_NAMES = 200;

  private final Vertx vertx;
  private final ApplicationEvents events;
  private final UiApplicationRepository summaries;
  private final UiSessions sessions;
  private final Clock clock;

  /** The open streams' enders by session (cookie hash), so a logout closes them at once. */
  private final Map<String, Set<Runnable>> open = new ConcurrentHashMap<>();

  UiEvents(
      Vertx vertx,
      ApplicationEvents events,
      UiApplicationRepository summaries,
      UiSessions sessions,
      Clock clock) {
    this.vertx = vertx;
    this.events = events;
    this.summaries = summaries;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** The session was logged out: its open pages' streams end now. */
  void sessionEnded(String idHash) {
    Set<Runnable> enders = open.remove(idHash);
    if (enders != null) {
      enders.forEach(Runnable::run);
    }
  }

  void stream(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    UiSession session = ctx.get(UiRoutes.SESSION_KEY);
    HttpServerResponse response = ctx.response();
    UiSecurity.headers(response);
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
    Set<String> pending = new LinkedHashSet<>();
    long[] flushTimer = {-1};
    Runnable flush =
        () -> {
          flushTimer[0] = -1;
          List<String> names = new ArrayList<>(pending);
          pending.clear();
          if (names.size() > MAX_NAMES) {
            send(response, List.of("*"));
            return;
          }
          summaries
              .projectsOf(names)
              .onSuccess(
                  projects -> {
                    List<String> visible = new ArrayList<>();
                    projects.forEach(
                        (name, project) -> {
                          if (caller.sees(Resources.APPLICATIONS, Guard.inProject(project, name))) {
                            visible.add(name);
                          }
                        });
                    // Deleted ones have no project any more: the page's own read decides for them.
                    if (!visible.isEmpty() || projects.size() < names.size()) {
                      send(response, visible.isEmpty() ? List.of("*") : visible);
                    }
                  });
        };
    AutoCloseable subscription =
        events.subscribe(
            name ->
                vertx.runOnContext(
                    v -> {
                      pending.add(name);
                      if (flushTimer[0] < 0) {
                        flushTimer[0] = vertx.setTimer(COALESCE.toMillis(), t -> flush.run());
                      }
                    }));
    Context context = vertx.getOrCreateContext();
    Runnable end = () -> context.runOnContext(v -> endQuietly(response));
    open.computeIfAbsent(session.idHash(), k -> ConcurrentHashMap.newKeySet()).add(end);
    Cookie cookie = ctx.request().getCookie(UiSecurity.COOKIE);
    String cookieValue = cookie == null ? null : cookie.getValue();
    long keepalive =
        vertx.setPeriodic(
            KEEPALIVE.toMillis(),
            t -> {
              if (response.closed() || response.ended()) {
                return;
              }
              response.write(": keepalive\n\n");
              // Ended elsewhere (token revoked, another replica's logout): stop, so the page knows.
              sessions
                  .resolve(cookieValue)
                  .onSuccess(
                      found -> {
                        if (found.isEmpty()) {
                          endQuietly(response);
                        }
                      });
            });
    long remaining = Math.max(1, Duration.between(clock.instant(), session.expiresAt()).toMillis());
    long expiry = vertx.setTimer(remaining, t -> endQuietly(response));
    boolean[] closed = {false};
    Runnable cleanup =
        () -> {
          if (closed[0]) {
            return;
          }
          closed[0] = true;
          Set<Runnable> enders = open.get(session.idHash());
          if (enders != null) {
            enders.remove(end);
            if (enders.isEmpty()) {
              open.remove(session.idHash(), enders);
            }
          }
          try {
            subscription.close();
          } catch (Exception ignored) {
            // removing a listener cannot fail
          }
          vertx.cancelTimer(keepalive);
          vertx.cancelTimer(expiry);
          if (flushTimer[0] >= 0) {
            vertx.cancelTimer(flushTimer[0]);
          }
        };
    response.closeHandler(v -> cleanup.run());
    response.endHandler(v -> cleanup.run());
  }

  private static void endQuietly(HttpServerResponse response) {
    if (!response.closed() && !response.ended()) {
      response.end();
    }
  }

  private static void send(HttpServerResponse response, List<String> names) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.write("event: changed\ndata: " + String.join("\ndata: ", names) + "\n\n");
  }
}
