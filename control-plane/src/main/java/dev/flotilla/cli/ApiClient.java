package dev.flotilla.cli;

import dev.flotilla.agent.FlotillaHome;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A small REST client for CLI commands that talk to a running control plane. */
final class ApiClient {

  static final String DEFAULT_API = "http://127.0.0.1:8080";

  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /**
   * From flags, then FLOTILLA_API / FLOTILLA_TOKEN, then what {@code flotilla login} saved, then
   * the defaults and $FLOTILLA_HOME/admin.token.
   */
  static ApiClient from(String apiFlag, String tokenFlag) {
    Optional<LoginCommand.Saved> login = LoginCommand.saved();
    String api =
        apiFlag != null
            ? apiFlag
            : envOr("FLOTILLA_API", login.map(LoginCommand.Saved::api).orElse(DEFAULT_API));
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
    return new ApiClient(api, token);
  }

  /** GET whose answer is not JSON (e.g. CSV); errors still come as JSON. */
  String getText(String path) throws CliException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
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
    } catch (ConnectException e) {
      throw new CliException(
          "cannot reach the control plane at "
              + base
              + " — is `flotilla server` running? (set --api or FLOTILLA_API to point elsewhere)");
    } catch (IOException e) {
      throw new CliException("request to " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
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

  JsonObject delete(String path) throws CliException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private JsonObject send(HttpRequest.Builder request, String path) throws CliException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.timeout(Duration.ofSeconds(60));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException(
          "cannot reach the control plane at "
              + base
              + " — is `flotilla server` running? (set --api or FLOTILLA_API to point elsewhere)");
    } catch (IOException e) {
      throw new CliException("request to " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
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

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
