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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Application page's actions over real HTTP on a real database, without agents: the Sync page
 * and its dry run, Delete's typed confirmation, what a read-only user is shown and refused, and the
 * REST sync body's prune flag.
 */
class UiActionsIT {

  @TempDir Path home;
  private ControlPlane cp;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private String base;
  private String aliceToken;

  @BeforeEach
  void start() throws Exception {
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
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void restSyncNamesAPruneOfTheWrongType() throws Exception {
    HttpResponse<String> r =
        send(
            req("/api/v1/applications/shop-web/sync")
                .header("Authorization", "Bearer " + cp.adminToken().value())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prune\":\"yes\"}")),
            null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("prune: must be true or false");
  }

  @Test
  void theSyncPageOffersPruneAndADryRunThatSaysWhyItCannotRunWithoutAnAgent() throws Exception {
    String cookie = cookie(login(cp.adminToken().value()));
    HttpResponse<String> page = send(req("/applications/shop-web/sync").GET(), cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"prune\"", "id=\"dry-run\"", "id=\"sync-now\"");
    assertThat(page.body()).doesNotContainPattern("<button[^>]*id=\"sync-now\"[^>]*disabled");

    HttpResponse<String> dryRun =
        send(
            form(
                "/applications/shop-web/sync",
                "csrf=" + csrf(page.body()) + "&revision=&prune=on&preview=1"),
            cookie);
    assertThat(dryRun.statusCode()).isEqualTo(200);
    assertThat(dryRun.body()).contains("No dry run:").contains("checked");
  }

  @Test
  void deleteNeedsTheExactNameAndThePermission() throws Exception {
    String alice = cookie(login(aliceToken));
    HttpResponse<String> readOnly = send(req("/applications/shop-web/delete").GET(), alice);
    assertThat(readOnly.statusCode()).isEqualTo(200);
    assertThat(readOnly.body()).containsPattern("<button[^>]*id=\"delete-now\"[^>]*disabled");
    HttpResponse<String> detail = send(req("/applications/shop-web").GET(), alice);
    assertThat(detail.body()).doesNotContain("id=\"delete\"").doesNotContain("id=\"sync-options\"");
    HttpResponse<String> refused =
        send(
            form(
                "/applications/shop-web/delete",
                "csrf=" + csrf(readOnly.body()) + "&confirm=shop-web&cascade=orphan"),
            alice);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Not allowed");

    HttpResponse<String> hidden = send(req("/applications/billing/delete").GET(), alice);
    HttpResponse<String> missing = send(req("/applications/no-such-app/delete").GET(), alice);
    assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
    assertThat(hidden.body().replace("billing", "X"))
        .isEqualTo(missing.body().replace("no-such-app", "X"));

    String admin = cookie(login(cp.adminToken().value()));
    String csrf = csrf(send(req("/applications/shop-web/delete").GET(), admin).body());
    HttpResponse<String> typo =
        send(
            form(
                "/applications/shop-web/delete",
                "csrf=" + csrf + "&confirm=shop-we&cascade=orphan"),
            admin);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.body()).contains("The name you typed").contains("nothing was deleted");
    assertThat(get(cp.applications().listViews("shop-web"))).hasSize(1);

    // Keeping the resources must first reach the agent, which is away: the service says so.
    HttpResponse<String> away =
        send(
            form(
                "/applications/shop-web/delete",
                "csrf=" + csrf + "&confirm=shop-web&cascade=orphan"),
            admin);
    assertThat(away.statusCode()).isEqualTo(503);
    assertThat(away.body()).contains("is not connected").contains("id=\"delete-error\"");
    assertThat(get(cp.applications().listViews("shop-web"))).hasSize(1);

    HttpResponse<String> deleted =
        send(
            form(
                "/applications/shop-web/delete",
                "csrf=" + csrf + "&confirm=shop-web&cascade=foreground"),
            admin);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(303);
    assertThat(deleted.headers().firstValue("Location")).contains("/applications?done=deleted");
    assertThat(get(cp.applications().listViews("shop-web"))).isEmpty();
  }

  private void app(String name, String project) throws Exception {
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

  private static void assertCsp(HttpResponse<String> r) {
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
    // no inline script or handler that the policy would have to allow
    assertThat(r.body())
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=");
  }

  private HttpResponse<String> login(String token) throws Exception {
    return send(
        form(
            "/login",
            "next=%2Fapplications&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)),
        null);
  }

  private HttpRequest.Builder form(String path, String body) {
    return req(path)
        .header("Origin", base)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String cookie) throws Exception {
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<String> r) {
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf meta tag").isTrue();
    return m.group(1);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
