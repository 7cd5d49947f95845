package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile REST input over a real socket: uploads, NUL characters, bad names, path tricks and
 * webhook payloads are refused with a status and a message, and leave nothing behind.
 */
class RestHardeningIT {

  private static final String SECRET = "Webhook-Secret-1";

  /** Where Vert.x's body handler saves uploads by default: the server's working directory. */
  private static final Path UPLOADS = Path.of("file-uploads");

  @TempDir Path home;
  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    deleteUploads();
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home)
                .withListen("127.0.0.1", 0, 0)
                .withWebhookSecret(SECRET),
            TestDatabases.fresh());
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
    deleteUploads();
  }

  private static void deleteUploads() throws IOException {
    if (Files.exists(UPLOADS)) {
      try (Stream<Path> files = Files.walk(UPLOADS)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path));
  }

  private HttpRequest.Builder admin(String path) {
    return request(path).header("Authorization", "Bearer " + cp.adminToken().value());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(
        admin(path)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("error");
  }

  private static String multipart(String boundary, int fileBytes) {
    return "--"
        + boundary
        + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n"
        + "x".repeat(fileBytes)
        + "\r\n--"
        + boundary
        + "--\r\n";
  }

  private HttpRequest.Builder upload(HttpRequest.Builder b, int fileBytes) {
    return b.header("Content-Type", "multipart/form-data; boundary=XyZ")
        .POST(HttpRequest.BodyPublishers.ofString(multipart("XyZ", fileBytes)));
  }

  @Test
  void multipartUploadsAreRefusedAndNothingIsWrittenToDisk() throws Exception {
    HttpResponse<String> anonymous = send(upload(request("/api/v1/clusters"), 10_000));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(UPLOADS).as("nothing is saved for an unauthenticated upload").doesNotExist();

    HttpResponse<String> unknownPath = send(upload(request("/api/v1/nowhere"), 10_000));
    assertThat(unknownPath.statusCode()).isEqualTo(401);

    HttpResponse<String> withToken = send(upload(admin("/api/v1/clusters"), 10_000));
    assertThat(withToken.statusCode()).isEqualTo(415);
    assertThat(error(withToken)).contains("multipart/form-data").contains("application/json");

    HttpResponse<String> large = send(upload(admin("/api/v1/applicationsets"), 3 << 20));
    assertThat(large.statusCode()).isEqualTo(415);

    HttpResponse<String> webhook =
        send(upload(request("/api/v1/webhook/git").header("X-GitHub-Event", "push"), 10_000));
    assertThat(webhook.statusCode()).isEqualTo(415);

    HttpResponse<String> form =
        send(
            admin("/api/v1/users")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=alice")));
    assertThat(form.statusCode()).isEqualTo(415);

    assertThat(UPLOADS).doesNotExist();
    assertThat(send("GET", "/api/v1/clusters", null).body()).doesNotContain("\"name\"");
  }

  @Test
  void anUnauthenticatedBodyIsNotReadAndAnOversizedOneIsRefusedBeforeItIsBuffered()
      throws Exception {
    String big = "{\"name\":\"" + "x".repeat(2 << 20) + "\"}";
    HttpResponse<String> anonymous =
        send(request("/api/v1/clusters").POST(HttpRequest.BodyPublishers.ofString(big)));
    assertThat(anonymous.statusCode()).isEqualTo(401);

    HttpResponse<String> tooLarge = send("POST", "/api/v1/clusters", big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(error(tooLarge)).contains("larger than");
  }

  @Test
  void nulCharactersAreRefusedWith400NamingWhereTheyAre() throws Exception {
    HttpResponse<String> inName = send("POST", "/api/v1/clusters", "{\"name\":\"a\\u0000b\"}");
    assertThat(inName.statusCode()).isEqualTo(400);
    assertThat(error(inName)).startsWith("name: contains a NUL character");

    HttpResponse<String> inLabel =
        send("POST", "/api/v1/clusters", "{\"name\":\"ok\",\"labels\":{\"env\":\"x\\u0000\"}}");
    assertThat(inLabel.statusCode()).isEqualTo(400);
    assertThat(error(inLabel)).startsWith("labels.env: contains a NUL character");

    HttpResponse<String> inKey =
        send("POST", "/api/v1/clusters", "{\"name\":\"ok\",\"labels\":{\"e\\u0000\":\"x\"}}");
    assertThat(inKey.statusCode()).isEqualTo(400);
    assertThat(error(inKey)).contains("NUL");

    HttpResponse<String> inYaml =
        send(
            admin("/api/v1/applicationsets")
                .header("Content-Type", "application/yaml")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "metadata:\n  name: \"web\\0\"\nspec: {}\n")));
    assertThat(inYaml.statusCode()).isEqualTo(400);
    assertThat(error(inYaml)).startsWith("metadata.name: contains a NUL character");

    HttpResponse<String> inQuery = send("GET", "/api/v1/applications?project=a%00b", null);
    assertThat(inQuery.statusCode()).isEqualTo(400);
    assertThat(error(inQuery)).startsWith("query parameter project: contains a NUL");

    for (String path :
        new String[] {
          "/api/v1/applicationsets/a%00b", "/api/v1/users/a%00b", "/api/v1/clusters/a%00b"
        }) {
      HttpResponse<String> inPath = send("GET", path, null);
      assertThat(inPath.statusCode()).as(path).isEqualTo(400);
      assertThat(error(inPath)).startsWith("path: contains a NUL");
    }
    HttpResponse<String> deletePath = send("DELETE", "/api/v1/users/a%00b", null);
    assertThat(deletePath.statusCode()).isEqualTo(400);

    assertThat(send("GET", "/api/v1/clusters", null).body()).doesNotContain("\"ok\"");
  }

  @Test
  void badNamesAreRefusedNamingTheFieldAndTheRule() throws Exception {
    String appSet =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: '%s'
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
    for (String bad :
        new String[] {
          "../../etc/passwd", "x; DROP TABLE application_sets; --", "Web", "a..b", "-web", "a_b"
        }) {
      HttpResponse<String> r =
          send(
              admin("/api/v1/applicationsets")
                  .header("Content-Type", "application/yaml")
                  .POST(HttpRequest.BodyPublishers.ofString(appSet.formatted(bad))));
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(error(r)).as(bad).startsWith("metadata.name: ").contains("DNS-1123 subdomain");
    }
    HttpResponse<String> escape =
        send(
            admin("/api/v1/applicationsets")
                .header("Content-Type", "application/yaml")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        appSet.replace("'%s'", "\"\\e[31mweb\"").formatted())));
    assertThat(escape.statusCode()).isEqualTo(400);
    assertThat(error(escape)).contains("\\u001b[31mweb").doesNotContain("\u001b");

    HttpResponse<String> project =
        send(
            admin("/api/v1/projects")
                .header("Content-Type", "application/yaml")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
                            + "metadata:\n  name: a..b\nspec: {}\n")));
    assertThat(project.statusCode()).isEqualTo(400);
    assertThat(error(project)).startsWith("metadata.name: ").contains("DNS-1123");

    for (String bad :
        new String[] {
          "../../etc/passwd", "o'brien; DROP TABLE users; --", "a/b", "a..b", "\u001b[2Jx", "a b"
        }) {
      HttpResponse<String> user =
          send("POST", "/api/v1/users", new JsonObject().put("name", bad).encode());
      assertThat(user.statusCode()).as(bad).isEqualTo(400);
      assertThat(error(user)).as(bad).startsWith("name: ");
      HttpResponse<String> team =
          send("POST", "/api/v1/teams", new JsonObject().put("name", bad).encode());
      assertThat(team.statusCode()).as(bad).isEqualTo(400);
    }
    HttpResponse<String> email =
        send("POST", "/api/v1/users", new JsonObject().put("name", "alice@example.com").encode());
    assertThat(email.statusCode()).as(email.body()).isLessThan(300);

    assertThat(send("GET", "/api/v1/applicationsets", null).body()).doesNotContain("\"name\"");
  }

  @Test
  void anEncodedNameIsOneSegmentAndNeverReachesAnotherResource() throws Exception {
    assertThat(send("POST", "/api/v1/clusters", "{\"name\":\"c2\"}").statusCode()).isEqualTo(201);
    String token = get(cp.clusters().activeTokenHash("c2")).orElseThrow();

    HttpResponse<String> delete =
        send("DELETE", "/api/v1/applicationsets/..%2Fclusters%2Fc2", null);
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(error(delete)).contains("../clusters/c2");

    HttpResponse<String> sync =
        send("POST", "/api/v1/applications/..%2Fclusters%2Fc2%2Frevoke%3Fx%3D/sync", "{}");
    assertThat(sync.statusCode()).isEqualTo(404);

    assertThat(send("GET", "/api/v1/clusters/c2", null).statusCode()).isEqualTo(200);
    assertThat(get(cp.clusters().activeTokenHash("c2"))).contains(token);
  }

  @Test
  void webhookPayloadsOfTheWrongShapeGet400WithAMessage() throws Exception {
    for (String body :
        new String[] {
          "{\"repository\":\"https://example.invalid/x.git\"}",
          "{\"repository\":[1,2]}",
          "{\"project\":7}",
          "{\"ref\":{\"a\":1}}"
        }) {
      HttpResponse<String> r = send(github(body, sign(body)));
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(error(r)).as(body).startsWith("webhook body: ").contains("must be");
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    String good = "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\"https://x/y\"}}";
    assertThat(send(github(good, sign(good))).statusCode()).isEqualTo(202);
    assertThat(send(github(good, sign(good).toUpperCase())).statusCode())
        .as("the same bytes in upper-case hex")
        .isEqualTo(202);
    assertThat(send(github(good, sign(good + " "))).statusCode()).isEqualTo(401);
    assertThat(send(github(good, "zz")).statusCode()).isEqualTo(401);
  }

  @Test
  void gitLabTokensMustMatchExactly() throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"project\":{\"web_url\":\"https://x/y\"}}";
    assertThat(send(gitlab(body, SECRET)).statusCode()).isEqualTo(202);
    assertThat(send(gitlab(body, SECRET.toLowerCase())).statusCode()).isEqualTo(401);
    assertThat(send(gitlab(body, SECRET.toUpperCase())).statusCode()).isEqualTo(401);
    assertThat(send(gitlab(body, SECRET + "x")).statusCode()).isEqualTo(401);
  }

  private HttpRequest.Builder github(String body, String hexSignature) {
    return request("/api/v1/webhook/git")
        .header("X-GitHub-Event", "push")
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", "sha256=" + hexSignature)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpRequest.Builder gitlab(String body, String token) {
    return request("/api/v1/webhook/git")
        .header("X-Gitlab-Event", "Push Hook")
        .header("Content-Type", "application/json")
        .header("X-Gitlab-Token", token)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anAliasBombBodyIsRefusedWhileHealthzKeepsAnswering() throws Exception {
    StringBuilder bomb =
        new StringBuilder("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n");
    bomb.append("a0: &a0 [lol, lol, lol]\n");
    for (int i = 1; i <= 16; i++) {
      bomb.append("a").append(i).append(": &a").append(i);
      bomb.append(" [*a").append(i - 1).append(", *a").append(i - 1);
      bomb.append(", *a").append(i - 1).append("]\n");
    }
    bomb.append("metadata:\n  name: bomb\nspec:\n  generators: [*a16]\n");
    CompletableFuture<HttpResponse<String>> posted =
        http.sendAsync(
            admin("/api/v1/applicationsets")
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(bomb.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(send(request("/healthz").GET()).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = posted.get(60, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(error(refused)).contains("limit");
    assertThat(send(request("/healthz").GET()).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/applicationsets/bomb", null).statusCode()).isEqualTo(404);
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
