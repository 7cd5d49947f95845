package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI over real HTTP on a real database: login turns a token into a session cookie with the
 * right attributes, every page carries the Content-Security-Policy, a team user sees only its
 * Applications and gets exactly the "not found" of a missing one for another team's, and every
 * changing request needs our origin and the session's CSRF token.
 */
class WebUiIT extends UiItBase {

  @BeforeEach
  void anotherApplication() throws Exception {
    app("shop-api", "shop");
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
}
