package dev.flotilla.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The few REST calls the bench makes: register clusters, apply an ApplicationSet, a webhook. */
final class BenchApi {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;
  private final Duration timeout;

  /** {@code timeout}: the longest any one call may take (applying 10,000 Applications is slow). */
  BenchApi(String base, String token, Duration timeout) {
    this.timeout = timeout;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  String base() {
    return base;
  }

  /** Registers a cluster; completes with its join token. */
  CompletableFuture<String> addCluster(String name, String label, String value) {
    JsonObject body =
        new JsonObject()
            .put("name", name)
            .put("server", "https://" + name + ".bench.invalid")
            .put("labels", new JsonObject().put(label, value));
    return http.sendAsync(
            request("/api/v1/clusters")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> json(r, "POST /api/v1/clusters (" + name + ")").getString("token"));
  }

  CompletableFuture<Void> removeCluster(String name) {
    return http.sendAsync(
            request("/api/v1/clusters/" + name).DELETE().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenAccept(r -> {});
  }

  void applyApplicationSet(String yaml) throws IOException, InterruptedException {
    json(
        http.send(
            request("/api/v1/applicationsets")
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString()),
        "POST /api/v1/applicationsets");
  }

  JsonObject applicationSet(String name) throws IOException, InterruptedException {
    return json(
        http.send(
            request("/api/v1/applicationsets/" + name).GET().build(),
            HttpResponse.BodyHandlers.ofString()),
        "GET /api/v1/applicationsets/" + name);
  }

  void deleteApplicationSet(String name) throws IOException, InterruptedException {
    http.send(
        request("/api/v1/applicationsets/" + name).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** A GitHub push event for {@code repoUrl}, signed when a webhook secret is given. */
  void pushWebhook(String repoUrl, String secret) throws IOException, InterruptedException {
    String body =
        new JsonObject()
            .put("ref", "refs/heads/main")
            .put("repository", new JsonObject().put("clone_url", repoUrl))
            .encode();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/webhook/git"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", "push")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
    }
    json(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), "POST webhook");
  }

  private static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token);
  }

  /** The body as JSON; a failure names the call and the server's message (never the token). */
  private static JsonObject json(HttpResponse<String> r, String call) {
    if (r.statusCode() >= 400) {
      String message = r.body();
      try {
        message = new JsonObject(r.body()).getString("error", r.body());
      } catch (RuntimeException notJson) {
        // Keep the raw body.
      }
      throw new BenchException(call + " failed with HTTP " + r.statusCode() + ": " + message);
    }
    return r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
  }
}
