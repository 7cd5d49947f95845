package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI's entry: static assets, login and logout, and the session check in front of every
 * page. A page is served only to a live session (else the browser goes to the login page, which
 * comes back to the page afterwards); a changing request must also come from one of our pages
 * (Origin) and carry the session's CSRF token.
 */
public final class UiRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(UiRoutes.class);
  static final String SESSION_KEY = "flotilla.ui.session";
  private static final long FORM_LIMIT = 64 * 1024;

  private final UiSessions sessions;
  private final UiTemplates templates;
  private final boolean tls;
  private final UiApplicationPages applications;
  private final UiEvents events;
  private final List<UiView> views;

  UiRoutes(
      UiSessions sessions,
      UiTemplates templates,
      boolean tls,
      UiApplicationPages applications,
      UiEvents events,
      List<UiView> views) {
    this.views = List.copyOf(views);
    this.sessions = sessions;
    this.templates = templates;
    this.tls = tls;
    this.applications = applications;
    this.events = events;
  }

  public void mount(Router router) {
    router
        .route("/ui/static/*")
        .handler(
            StaticHandler.create("ui/static")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(3600)
                .setDirectoryListing(false)
                .setIncludeHidden(false));
    router.get("/login").handler(this::loginPage);
    router.post("/login").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    router.post("/login").handler(this::login);
    router.get("/").handler(ctx -> redirect(ctx, "/applications"));
    // Bodies first: the session check below is asynchronous, and Vert.x wants the body handler
    // ahead of anything that lets the request run on.
    router.post("/logout").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    router.post("/applications/*").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    for (String path : new String[] {"/logout", "/applications", "/applications/*", "/ui/events"}) {
      router.route(path).handler(this::requireSession);
    }
    router.post("/logout").handler(this::requireCsrf);
    router.post("/logout").handler(this::logout);
    router.post("/applications/*").handler(this::requireCsrf);
    applications.mount(router);
    router.get("/ui/events").handler(events::stream);
    for (UiView view : views) {
      for (String path : view.paths()) {
        router.post(path).handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
        router.route(path).handler(this::requireSession);
        router.post(path).handler(this::requireCsrf);
      }
      view.mount(router);
    }
  }

  private void loginPage(RoutingContext ctx) {
    html(ctx, 200, templates.render("login.jte", Map.of("error", "", "next", next(ctx))));
  }

  private void login(RoutingContext ctx) {
    if (!UiSecurity.sameOrigin(ctx.request())) {
      html(ctx, 403, templates.render("login.jte", Map.of("error", FOREIGN, "next", "/")));
      return;
    }
    String next = UiSecurity.localPath(ctx.request().getFormAttribute("next"));
    sessions
        .open(ctx.request().getFormAttribute("token"))
        .onSuccess(
            opened -> {
              ctx.response()
                  .addCookie(
                      UiSecurity.sessionCookie(
                          opened.cookie(), UiSessions.MAX_AGE.toSeconds(), tls));
              redirect(ctx, next);
            })
        .onFailure(
            e -> {
              int status =
                  e instanceof ApiException a && a.kind() == ApiException.Kind.INVALID ? 400 : 401;
              String message =
                  e instanceof ApiException ? e.getMessage() : "cannot log in right now: try again";
              if (!(e instanceof ApiException)) {
                LOG.warn("UI login failed", e);
              }
              html(
                  ctx,
                  status,
                  templates.render("login.jte", Map.of("error", message, "next", next)));
            });
  }

  private void logout(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(UiSecurity.COOKIE);
    UiSession session = ctx.get(SESSION_KEY);
    sessions
        .close(cookie == null ? null : cookie.getValue())
        .onComplete(
            done -> {
              events.sessionEnded(session.idHash()); // its other open pages learn it now
              ctx.response().addCookie(UiSecurity.sessionCookie("", 0, tls));
              redirect(ctx, "/login");
            });
  }

  private void requireSession(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(UiSecurity.COOKIE);
    sessions
        .resolve(cookie == null ? null : cookie.getValue())
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                if (ctx.request().method().name().equals("GET")
                    && !ctx.request().path().equals("/ui/events")) {
                  redirect(ctx, "/login?next=" + UiText.urlEncode(ctx.request().uri()));
                } else {
                  UiSecurity.headers(ctx.response());
                  ctx.response()
                      .setStatusCode(401)
                      .putHeader("Content-Type", "text/plain; charset=utf-8")
                      .end("Your session has ended: log in again.");
                }
                return;
              }
              ctx.put(SESSION_KEY, found.get().session());
              Callers.put(ctx, found.get().caller());
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  private static final String FOREIGN =
      "This form did not come from a Flotilla page (or it has expired): reload the page and try"
          + " again.";

  private void requireCsrf(RoutingContext ctx) {
    UiSession session = ctx.get(SESSION_KEY);
    String submitted = ctx.request().getFormAttribute("csrf");
    if (submitted == null) {
      submitted = ctx.request().getHeader("X-CSRF-Token");
    }
    if (session == null
        || !UiSecurity.sameOrigin(ctx.request())
        || !UiSessions.csrfMatches(session, submitted)) {
      UiSecurity.headers(ctx.response());
      ctx.response()
          .setStatusCode(403)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(FOREIGN);
      return;
    }
    ctx.next();
  }

  private static String next(RoutingContext ctx) {
    return UiSecurity.localPath(ctx.request().getParam("next"));
  }

  static void html(RoutingContext ctx, int status, String body) {
    UiSecurity.headers(ctx.response());
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(body);
  }

  static void redirect(RoutingContext ctx, String location) {
    UiSecurity.headers(ctx.response());
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
