package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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
 * The web UI over real HTTP on a real database: login turns a token into a session cookie with the
 * right attributes, every page carries the Content-Security-Policy, a team user sees only its
 * Applications and gets exactly the "not found" of a missing one for another team's, and every
 * changing request needs our origin and the session's CSRF token.
 */
class WebUiIT {

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
    app("shop-api", "shop");
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
  void aPageWithoutASessionGoesToTheLoginPageAndBack() throws Exception {
    HttpResponse<String> r = send(req("/applications?q=web").GET(), null);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location"))
        .contains(
            "/login?next="
                + URLEncoder.encode("/applications?q=web", StandardCharsets.UTF_8)
                    .replace("+", "%20"));
    HttpResponse<String> login = send(req("/login").GET(), null);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("API token");
    assertCsp(login);
  }

  @Test
  void loginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession() throws Exception {
    HttpResponse<String> bad = login("not-a-token");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).contains("that token is not valid").doesNotContain("not-a-token");
    assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> ok = login(aliceToken);
    assertThat(ok.statusCode()).isEqualTo(303);
    String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(UiSecurity.COOKIE + "=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain(aliceToken)
        // plain HTTP here; under TLS the cookie is Secure (UiSecurity.sessionCookie)
        .doesNotContain("Secure");
    String cookie = cookie(ok);

    HttpResponse<String> page = send(req("/applications").GET(), cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertCsp(page);
    String csrf = csrf(page.body());

    HttpResponse<String> out = send(form("/logout", "csrf=" + csrf), cookie);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send(req("/applications").GET(), cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void aTeamUserSeesOnlyItsApplicationsAndAHiddenOneIsNotFound() throws Exception {
    String cookie = cookie(login(aliceToken));
    HttpResponse<String> list = send(req("/applications").GET(), cookie);
    assertThat(list.body()).contains("shop-web", "shop-api").doesNotContain("billing");
    assertThat(list.body()).contains("<strong id=\"total\">2</strong>");

    HttpResponse<String> hidden = send(req("/applications/billing").GET(), cookie);
    HttpResponse<String> missing = send(req("/applications/no-such-app").GET(), cookie);
    assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
    assertThat(hidden.body().replace("billing", "X"))
        .isEqualTo(missing.body().replace("no-such-app", "X"));

    HttpResponse<String> detail = send(req("/applications/shop-web").GET(), cookie);
    assertThat(detail.statusCode()).isEqualTo(200);
    // alice may get but not sync: the button is disabled, and the server refuses anyway
    assertThat(detail.body()).containsPattern("<button[^>]*id=\"sync\"[^>]*disabled");
    HttpResponse<String> sync =
        send(form("/applications/shop-web/sync", "csrf=" + csrf(detail.body())), cookie);
    assertThat(sync.statusCode()).isEqualTo(403);
    assertThat(sync.body()).contains("Not allowed");
  }

  @Test
  void anAppOfAppsParentShowsWhatItDeclaresAndItsConditions() throws Exception {
    get(
        cp.applications()
            .pool()
            .preparedQuery(
                "INSERT INTO app_of_apps_status (application, render_key, children, conditions)"
                    + " VALUES ('shop-web', 'k', $1, $2)")
            .execute(
                Tuple.of(
                    new JsonArray()
                        .add(new JsonObject().put("kind", "Application").put("name", "shop-api"))
                        .add(new JsonObject().put("kind", "AppProject").put("name", "shop")),
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "ChildRefused")
                                .put(
                                    "message",
                                    "Application 'rogue': project 'x' does not exist")))));
    String cookie = cookie(login(aliceToken));

    String parent = send(req("/applications/shop-web").GET(), cookie).body();

    assertThat(parent)
        .contains("App of Apps: declares 2")
        .contains("href=\"/applications/shop-api\"")
        .contains("href=\"/projects\"")
        .containsPattern("<strong>ChildRefused</strong>\\s*Application 'rogue'");
    assertThat(send(req("/applications/shop-api").GET(), cookie).body())
        .as("no parent: no such panel")
        .doesNotContain("App of Apps: declares");
  }

  @Test
  void aChangingRequestNeedsOurOriginAndTheSessionsCsrfToken() throws Exception {
    String cookie = cookie(login(cp.adminToken().value()));
    String csrf = csrf(send(req("/applications").GET(), cookie).body());

    HttpResponse<String> noToken = send(form("/applications/shop-web/refresh", ""), cookie);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("did not come from a Flotilla page");

    HttpResponse<String> wrongToken =
        send(form("/applications/shop-web/refresh", "csrf=" + csrf + "x"), cookie);
    assertThat(wrongToken.statusCode()).isEqualTo(403);

    HttpResponse<String> foreign =
        send(
            req("/applications/shop-web/refresh")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)),
            cookie);
    assertThat(foreign.statusCode()).isEqualTo(403);

    HttpResponse<String> ok = send(form("/applications/shop-web/refresh", "csrf=" + csrf), cookie);
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).contains("/applications/shop-web?done=refresh");
  }

  @Test
  void revokingTheTokenEndsItsSessionsAtOnce() throws Exception {
    var created = get(cp.tokens().createForUser("alice", "short-lived", null));
    String cookie = cookie(login(created.plaintext()));
    assertThat(send(req("/applications").GET(), cookie).statusCode()).isEqualTo(200);
    get(cp.tokens().revoke(created.token().id()));
    assertThat(send(req("/applications").GET(), cookie).statusCode()).isEqualTo(303);
    assertThat(send(req("/ui/events").GET(), cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void aBadFilterIsShownOnThePageNotAnError() throws Exception {
    String cookie = cookie(login(aliceToken));
    HttpResponse<String> r = send(req("/applications?sync=Green").GET(), cookie);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("sync: 'Green' is not one of Synced, OutOfSync, Unknown");
  }

  @Test
  void staticAssetsComeFromTheJar() throws Exception {
    HttpResponse<String> js = send(req("/ui/static/app.js").GET(), null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("EventSource");
    assertThat(
            send(req("/ui/static/../db/migration/V1__initial_schema.sql").GET(), null).statusCode())
        .isNotEqualTo(200);
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
