package dev.flotilla.controlplane.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;

/**
 * The browser-facing rules every UI response and form follows: a Content-Security-Policy that
 * allows no inline script and nothing from elsewhere, the session cookie's attributes, and the
 * same-origin check that (with the per-session CSRF token) guards every changing request.
 */
final class UiSecurity {

  static final String COOKIE = "flotilla_session";

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
          + " base-uri 'none'";

  private UiSecurity() {}

  static void headers(HttpServerResponse response) {
    response
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-store");
  }

  /** The session cookie: HttpOnly, SameSite=Strict, Secure when the server speaks TLS. */
  static Cookie sessionCookie(String value, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secure)
        .setMaxAge(maxAgeSeconds);
  }

  /**
   * Whether a changing request comes from one of our own pages: its Origin (or, without one, its
   * Referer) names this server. Browsers send Origin on every cross-site POST.
   */
  static boolean sameOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null || origin.isEmpty() || origin.equals("null")) {
      origin = request.getHeader("Referer");
    }
    if (origin == null || origin.isEmpty()) {
      return false;
    }
    try {
      URI from = URI.create(origin);
      String host = request.authority() == null ? null : request.authority().toString();
      String ours = request.scheme() + "://" + host;
      String theirs =
          from.getScheme()
              + "://"
              + from.getHost()
              + (from.getPort() < 0 ? "" : ":" + from.getPort());
      return ours.equalsIgnoreCase(theirs) || ours.equalsIgnoreCase(theirs + defaultPort(from));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String defaultPort(URI uri) {
    return uri.getPort() >= 0 ? "" : ("https".equals(uri.getScheme()) ? ":443" : ":80");
  }

  /** Only a local path may follow a login, so a crafted link cannot send a user elsewhere. */
  static String localPath(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.contains("\n")
        || next.contains("\r")) {
      return "/applications";
    }
    return next;
  }
}
