package dev.flotilla.cli;

import dev.flotilla.core.runtime.FlotillaHome;
import dev.flotilla.core.tls.Pem;
import dev.flotilla.core.tls.TlsConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** A small REST client for CLI commands that talk to a running control plane. */
final class ApiClient {

  static final String DEFAULT_API = "http://127.0.0.1:8080";

  /** Items asked for per page by {@link #getAll}; the server's maximum. Tests make it small. */
  static int pageSize = 1000;

  private final String base;
  private final String token;
  private final HttpClient http;

  ApiClient(String base, String token) {
    this(base, token, null);
  }

  /**
   * @param caCert PEM file of the CA (or self-signed certificate) to trust for https URLs instead
   *     of the JDK's default trust store; null for the default
   * @throws TlsConfigException when {@code caCert} is missing or holds no PEM certificate
   */
  ApiClient(String base, String token, Path caCert) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (caCert != null) {
      builder.sslContext(Pem.clientContext(caCert, CACERT_FLAG));
    }
    this.http = builder.build();
  }

  static final String CACERT_FLAG = "--cacert";

  /**
   * From flags, then FLOTILLA_API / FLOTILLA_TOKEN / FLOTILLA_CACERT, then what {@code flotilla
   * login} saved (address, token and CA, the last two only for that address), then the defaults and
   * $FLOTILLA_HOME/admin.token.
   */
  static ApiClient from(String apiFlag, String tokenFlag) {
    return from(apiFlag, tokenFlag, null);
  }

  /** The same, trusting {@code caCertFlag} (else FLOTILLA_CACERT) for https URLs. */
  static ApiClient from(String apiFlag, String tokenFlag, Path caCertFlag) {
    Optional<LoginCommand.Saved> login = LoginCommand.saved();
    String api =
        apiFlag != null
            ? apiFlag
            : envOr("FLOTILLA_API", login.map(LoginCommand.Saved::api).orElse(DEFAULT_API));
    String caEnv = System.getenv("FLOTILLA_CACERT");
    Path caCert =
        caCertFlag != null ? caCertFlag : caEnv == null || caEnv.isBlank() ? null : Path.of(caEnv);
    if (caCert == null
        && login.isPresent()
        && login.get().api().equals(api)
        && login.get().caCert() != null) {
      // The CA a login trusted stays trusted for the same control plane.
      caCert = Path.of(login.get().caCert());
    }
    String token = tokenFlag != null ? tokenFlag : System.getenv("FLOTILLA_TOKEN");
    if (token == null && login.isPresent() && login.get().api().equals(api)) {
      // A saved token goes only to the control plane it was saved for.
      token = login.get().token();
    }
    if (token == null) {
      Path file = FlotillaHome.resolve().resolve("admin.token");
      try {
        token = Files.exists(file) ? Files.readString(file).trim() : null;
      } catch (IOException e) {
        token = null;
      }
    }
    return new ApiClient(api, token, caCert);
  }

  /**
   * The API path {@code /api/v1/<segment>/<segment>...}, each segment percent-encoded (RFC 3986) so
   * that whatever a user types is sent as one name: {@code /}, {@code ?}, {@code #}, {@code %} and
   * spaces are encoded, and {@code .} and {@code ..} (which every HTTP stack resolves away, encoded
   * or not) are refused, so {@code appset delete ../clusters/c2} can never reach a cluster.
   *
   * @throws CliException naming the value when it is empty, {@code .} or {@code ..}
   */
  static String path(String... segments) throws CliException {
    StringBuilder path = new StringBuilder("/api/v1");
    for (String segment : segments) {
      if (segment == null || segment.isEmpty()) {
        throw new CliException("a name may not be empty");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new CliException("'" + segment + "' is not a valid name");
      }
      path.append('/').append(encodeSegment(segment));
    }
    return path.toString();
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8. */
  static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** GET whose answer is not JSON (e.g. CSV); errors still come as JSON. */
  String getText(String path) throws CliException {
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(uri(path)).GET(), path);
    if (response.statusCode() >= 400) {
      String message;
      try {
        message =
            new JsonObject(response.body()).getString("error", "HTTP " + response.statusCode());
      } catch (DecodeException e) {
        message = "HTTP " + response.statusCode();
      }
      throw new CliException(message);
    }
    return response.body();
  }

  /**
   * GET of a streamed answer (JSON lines while following logs): each line to {@code lines} as it
   * arrives, without a timeout, until the server ends it. An error answer is thrown as usual.
   */
  void streamLines(String path, java.util.function.Consumer<String> lines) throws CliException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<java.util.stream.Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      try (java.util.stream.Stream<String> body = response.body()) {
        if (response.statusCode() >= 400) {
          String text = String.join("\n", body.toList());
          String message;
          try {
            message = new JsonObject(text).getString("error", "HTTP " + response.statusCode());
          } catch (DecodeException e) {
            message = "HTTP " + response.statusCode();
          }
          throw new CliException(message);
        }
        body.forEach(lines);
      }
    } catch (IOException e) {
      throw failure(e, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /**
   * Every item of a paged list, following {@code nextPageToken} until the last page, as one {@code
   * {"items": [...]}}.
   *
   * @param query filters, built with {@link QueryString}; paging parameters are added here
   */
  JsonObject getAll(String path, QueryString query) throws CliException {
    JsonArray items = new JsonArray();
    String token = null;
    do {
      String q = query.copy().add("limit", pageSize).add("pageToken", token).toString();
      JsonObject page = get(path + q);
      items.addAll(page.getJsonArray("items", new JsonArray()));
      token = page.getString("nextPageToken");
    } while (token != null && !token.isEmpty());
    return new JsonObject().put("items", items);
  }

  /** GET, or empty when the object does not exist (404), e.g. once a deletion has finished. */
  Optional<JsonObject> find(String path) throws CliException {
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(uri(path)).GET(), path);
    return response.statusCode() == 404 ? Optional.empty() : Optional.of(json(response, path));
  }

  JsonObject get(String path) throws CliException {
    return send(HttpRequest.newBuilder(uri(path)).GET(), path);
  }

  JsonObject post(String path, String body, String contentType) throws CliException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        path);
  }

  JsonObject put(String path, String json) throws CliException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)),
        path);
  }

  /** PATCH with a JSON merge patch (RFC 7386). */
  JsonObject patch(String path, String mergePatch) throws CliException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/merge-patch+json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch)),
        path);
  }

  JsonObject delete(String path) throws CliException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
  }

  /**
   * Opens a streamed GET whose answer is one JSON object a line (a watch): the lines arrive in the
   * returned stream until the server ends it or the caller closes it. No request timeout applies to
   * the stream itself; the caller waits on it with its own deadline. A refusal (4xx/5xx) comes out
   * of the stream's first {@link LineStream#next} as the server's error message.
   */
  LineStream stream(String path) {
    LineStream lines = new LineStream();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse.BodyHandler<String> handler =
        info ->
            info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.fromLineSubscriber(lines), v -> (String) null)
                : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    http.sendAsync(request.build(), handler)
        .whenComplete(
            (response, e) -> {
              if (e != null) {
                Throwable cause =
                    e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                lines.fail(
                    cause instanceof IOException io
                        ? failure(io, path)
                        : new CliException("request to " + base + path + " failed: " + cause));
              } else if (response.statusCode() != 200) {
                String message;
                try {
                  message =
                      new JsonObject(response.body())
                          .getString("error", "HTTP " + response.statusCode());
                } catch (DecodeException | NullPointerException bad) {
                  message = "HTTP " + response.statusCode();
                }
                lines.fail(new CliException(message));
              }
            });
    return lines;
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private JsonObject send(HttpRequest.Builder request, String path) throws CliException {
    return json(exchange(request, path), path);
  }

  /**
   * Sends with the token and the timeout; a network failure becomes a message saying what to do.
   */
  private HttpResponse<String> exchange(HttpRequest.Builder request, String path)
      throws CliException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.timeout(Duration.ofSeconds(60));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw failure(e, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /** The JSON body, or the server's error message for a status of 400 or more. */
  private JsonObject json(HttpResponse<String> response, String path) throws CliException {
    JsonObject body;
    try {
      body = response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CliException(
          "unexpected answer from " + base + path + " (HTTP " + response.statusCode() + ")");
    }
    if (response.statusCode() >= 400) {
      throw new CliException(body.getString("error", "HTTP " + response.statusCode()));
    }
    return body;
  }

  /** One line saying what went wrong and what to do, for a request that got no HTTP answer. */
  private CliException failure(IOException e, String path) {
    if (e instanceof ConnectException) {
      return new CliException(
          "cannot reach the control plane at "
              + base
              + " — is `flotilla server` running? (set --api or FLOTILLA_API to point elsewhere)");
    }
    if (e instanceof SSLHandshakeException) {
      if (causedBy(e, CertificateException.class) && mentions(e, "subject alternative", "name")) {
        return new CliException(
            "the control plane's certificate does not match the host in "
                + base
                + " ("
                + rootMessage(e)
                + ") — use the host name or IP address the certificate was issued for");
      }
      if (causedBy(e, CertificateException.class) || causedBy(e, CertPathBuilderException.class)) {
        return new CliException(
            "the control plane's certificate at "
                + base
                + " is not trusted — pass "
                + CACERT_FLAG
                + " FILE (or set FLOTILLA_CACERT) with the CA certificate that signed it, or with"
                + " the server's own certificate when it is self-signed");
      }
    }
    if (e instanceof SSLException && base.startsWith("https:")) {
      return new CliException(
          "TLS with the control plane at "
              + base
              + " failed ("
              + rootMessage(e)
              + ") — if the server runs without --tls-cert, use an http:// URL");
    }
    if (base.startsWith("http:")) {
      return new CliException(
          "request to "
              + base
              + path
              + " failed: "
              + rootMessage(e)
              + " — if the server runs with --tls-cert, use an https:// URL");
    }
    return new CliException("request to " + base + path + " failed: " + rootMessage(e));
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Throwable e, String... words) {
    String message = rootMessage(e).toLowerCase(java.util.Locale.ROOT);
    for (String word : words) {
      if (!message.contains(word)) {
        return false;
      }
    }
    return true;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
