package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.cluster.JoinTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over a real socket, on a real database. */
class RestApiIT {

  @TempDir Path home;
  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private HttpResponse<String> send(String method, String path, String body, boolean admin)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (admin) {
      b.header("Authorization", "Bearer " + cp.adminToken().value());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertThat(send("GET", "/healthz", null, false).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = send("GET", "/readyz", null, false);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).getString("status")).isEqualTo("ready");
  }

  @Test
  void theDriftReportIsServedAndValidatesItsParameters() throws Exception {
    HttpResponse<String> report = send("GET", "/api/v1/drift/report", null, true);
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    assertThat(report.body()).contains("byCluster");
    HttpResponse<String> csv = send("GET", "/api/v1/drift/report?format=csv", null, true);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body()).startsWith("cluster,");
    HttpResponse<String> bad = send("GET", "/api/v1/drift/report?healed=maybe", null, true);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("healed");
  }

  @Test
  void registeringAClusterShowsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/api/v1/clusters",
            "{\"name\":\"prod-eu\",\"labels\":{\"env\":\"prod\"}}",
            true);
    assertThat(created.statusCode()).isEqualTo(201);
    String token = json(created).getString("token");
    assertThat(token).startsWith("flt_").hasSizeGreaterThan(40);

    String stored = get(cp.clusters().activeTokenHash("prod-eu")).orElseThrow();
    assertThat(stored).isNotEqualTo(token).isEqualTo(JoinTokens.hash(token));

    HttpResponse<String> list = send("GET", "/api/v1/clusters", null, true);
    assertThat(list.body())
        .contains("prod-eu")
        .contains("\"env\" : \"prod\"")
        .doesNotContain(token);
    assertThat(list.body()).doesNotContain(stored);
  }

  @Test
  void refusedRequestsSayWhyAndChangeNothing() throws Exception {
    send("POST", "/api/v1/clusters", "{\"name\":\"keep-me\",\"labels\":{\"env\":\"dev\"}}", true);
    String before = send("GET", "/api/v1/clusters", null, true).body();

    HttpResponse<String> noToken = send("POST", "/api/v1/clusters", "{\"name\":\"x\"}", false);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(json(noToken).getString("error")).contains("bearer token");

    HttpResponse<String> duplicate =
        send(
            "POST",
            "/api/v1/clusters",
            "{\"name\":\"keep-me\",\"labels\":{\"env\":\"prod\"}}",
            true);
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(json(duplicate).getString("error"))
        .contains("keep-me")
        .contains("already registered");

    HttpResponse<String> badName =
        send("POST", "/api/v1/clusters", "{\"name\":\"Bad Name; DROP TABLE clusters\"}", true);
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(json(badName).getString("error")).startsWith("name:");

    HttpResponse<String> badLabel =
        send(
            "POST",
            "/api/v1/clusters",
            "{\"name\":\"ok\",\"labels\":{\"env\":{\"nested\":1}}}",
            true);
    assertThat(badLabel.statusCode()).isEqualTo(400);
    assertThat(json(badLabel).getString("error")).contains("labels.env");

    HttpResponse<String> notJson = send("POST", "/api/v1/clusters", "{not json", true);
    assertThat(notJson.statusCode()).isEqualTo(400);

    HttpResponse<String> huge =
        send("POST", "/api/v1/applicationsets", "x".repeat((int) (2 * 1024 * 1024)), true);
    assertThat(huge.statusCode()).isEqualTo(413);

    assertThat(send("GET", "/api/v1/clusters", null, true).body()).isEqualTo(before);
  }

  @Test
  void aMalformedApplicationSetIsRefusedAndTheStoredOneKept() throws Exception {
    String good =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: web
        spec:
          generators:
            - list:
                elements:
                  - cluster: nowhere
          template:
            metadata:
              name: 'web-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: https://example.invalid/repo.git
                path: web
              destination:
                name: '{{cluster}}'
                namespace: web
        """;
    assertThat(send("POST", "/api/v1/applicationsets", good, true).statusCode()).isEqualTo(200);
    String stored = send("GET", "/api/v1/applicationsets/web", null, true).body();

    HttpResponse<String> malformed =
        send("PUT", "/api/v1/applicationsets/web", "metadata: {name: web\nspec: [", true);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).getString("error")).isNotBlank();

    HttpResponse<String> templatedProject =
        send(
            "PUT",
            "/api/v1/applicationsets/web",
            good.replace("project: default", "project: '{{cluster}}'"),
            true);
    assertThat(templatedProject.statusCode()).isEqualTo(400);
    assertThat(json(templatedProject).getString("error")).contains("project");

    assertThat(
            json(send("GET", "/api/v1/applicationsets/web", null, true)).getJsonObject("document"))
        .isEqualTo(new JsonObject(stored).getJsonObject("document"));
    assertThat(send("GET", "/api/v1/applicationsets/nope", null, true).statusCode()).isEqualTo(404);
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
