package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane on a fresh database with the web UI spoken to over real HTTP (no redirects
 * followed): Applications {@code shop-web} (project shop) and {@code billing} (project finance),
 * and a user alice who may get shop's Applications only; the login, form, cookie and CSRF steps a
 * browser takes.
 */
abstract class UiItBase {

  @TempDir Path home;
  ControlPlane cp;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  String base;
  String aliceToken;

  @BeforeEach
  void startControlPlane() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    base = "http://127.0.0.1:" + cp.httpPort();
    app("shop-web", "shop");
    app("billing", "finance");
    get(cp.users().create("alice", "Alice"));
    get(
        cp.policies()
            .put(
                get(cp.policies().get()).text() + "\np, alice, applications, get, shop/*, allow\n",
                "test"));
    cp.access().invalidate();
    aliceToken = get(cp.tokens().createForUser("alice", "ui", null)).plaintext();
  }

  @AfterEach
  void stopControlPlane() throws Exception {
    cp.close();
  }

  /** Stores an Application straight in the database, as if generated, on cluster east. */
  void app(String name, String project) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put(
                "source",
                new JsonObject().put("repoURL", "https://git.example/" + name).put("path", "x"));
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ($1, $2, 'east', $3, 1)")
            .execute(Tuple.of(name, project, new JsonObject().put("spec", spec))));
  }

  static void assertCsp(HttpResponse<String> r) {
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
    // no inline script or handler that the policy would have to allow
    assertThat(r.body())
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=");
  }

  HttpResponse<String> login(String token) throws Exception {
    return send(
        form(
            "/login",
            "next=%2Fapplications&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)),
        null);
  }

  HttpRequest.Builder form(String path, String body) {
    return req(path)
        .header("Origin", base)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  HttpResponse<String> send(HttpRequest.Builder request, String cookie) throws Exception {
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cookie(HttpResponse<String> r) {
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf meta tag").isTrue();
    return m.group(1);
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
