package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import io.vertx.core.Future;
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
 * The ApplicationSets pages over real HTTP on a real database, the cheaper rung below the browser
 * test: which sets a user sees, the "not found" of a hidden set, and who may preview what (the
 * page's set and every project of the edited spec).
 */
class WebUiApplicationSetsIT {

  @TempDir Path home;
  private ControlPlane cp;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private String base;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    base = "http://127.0.0.1:" + cp.httpPort();
    for (String project : new String[] {"shop", "finance"}) {
      HttpResponse<String> r =
          send(
              req("/api/v1/projects")
                  .header("Authorization", "Bearer " + cp.adminToken().value())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          apiVersion: argoproj.io/v1alpha1
                          kind: AppProject
                          metadata: {name: %s}
                          spec:
                            sourceRepos: ['*']
                            destinations: [{name: '*', namespace: '*'}]
                          """
                              .formatted(project))),
              null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    get(cp.controller().apply(set("shop", "shop", "east", "west")));
    get(cp.controller().apply(set("ledger", "finance", "east")));
    get(
        cp.controller()
            .apply(
                set("broken", "shop")
                    .replace(
                        "- list:\n        elements:\n",
                        "- git:\n        repoURL: "
                            + home.resolve("no-such-repo").toUri()
                            + "\n        directories: [{path: 'apps/*'}]\n")));
    get(cp.users().create("alice", "Alice"));
    get(cp.users().create("bob", "Bob"));
    get(
        cp.policies()
            .put(
                get(cp.policies().get()).text()
                    + "\np, alice, applicationsets, get, shop/*, allow"
                    + "\np, bob, applicationsets, get, shop/*, allow"
                    + "\np, bob, applicationsets, create, shop/*, allow"
                    + "\np, bob, applications, get, shop/*, allow\n",
                "test"));
    cp.access().invalidate();
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void aHiddenSetIsExactlyAMissingOneAndAReadOnlyUsersPreviewIsRefused() throws Exception {
    String cookie = session("alice");
    HttpResponse<String> list = send(req("/applicationsets").GET(), cookie);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("data-appset=\"shop\"").doesNotContain("ledger");
    assertThat(list.body())
        .as("a set whose generator fails says so, and where")
        .containsPattern(
            "data-appset=\"broken\"[\\s\\S]*>Error<[\\s\\S]*spec.generators\\[0\\].git.repoURL");
    HttpResponse<String> broken = send(req("/applicationsets/broken").GET(), cookie);
    assertThat(broken.body())
        .contains("id=\"appset-errors\"")
        .contains("git directories apps/* in file:");

    HttpResponse<String> hidden = send(req("/applicationsets/ledger").GET(), cookie);
    HttpResponse<String> missing = send(req("/applicationsets/no-such-set").GET(), cookie);
    assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
    assertThat(hidden.body().replace("ledger", "X"))
        .isEqualTo(missing.body().replace("no-such-set", "X"));

    HttpResponse<String> detail = send(req("/applicationsets/shop").GET(), cookie);
    assertThat(detail.statusCode()).isEqualTo(200);
    assertThat(detail.body())
        .doesNotContain("id=\"preview-button\"")
        .doesNotContain("<textarea")
        .contains("id=\"preview-not-allowed\"");
    String csrf = csrf(detail.body());
    HttpResponse<String> forged =
        send(form("/applicationsets/shop/preview", csrf, set("shop", "shop", "north")), cookie);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("Not allowed").doesNotContain("shop-north");
    HttpResponse<String> forgedHidden =
        send(form("/applicationsets/ledger/preview", csrf, set("ledger", "finance")), cookie);
    assertThat(forgedHidden.statusCode()).isEqualTo(404);
    assertThat(forgedHidden.body().replace("ledger", "X"))
        .isEqualTo(missing.body().replace("no-such-set", "X"));
  }

  @Test
  void aPreviewNeedsCreateInEveryProjectOfTheEditedSpecAndNamesWhatIsWrong() throws Exception {
    String cookie = session("bob");
    HttpResponse<String> detail = send(req("/applicationsets/shop").GET(), cookie);
    assertThat(detail.body()).contains("id=\"preview-button\"");
    String csrf = csrf(detail.body());

    HttpResponse<String> ok =
        send(
            form("/applicationsets/shop/preview", csrf, set("shop", "shop", "east", "north")),
            cookie);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body())
        .contains("id=\"preview-apps\"")
        .contains("data-app=\"shop-north\"")
        .containsPattern("id=\"preview-removed\"[\\s\\S]*data-app=\"shop-west\"");
    assertThat(get(cp.applications().listViews("shop-north"))).as("stores nothing").isEmpty();

    HttpResponse<String> elsewhere =
        send(form("/applicationsets/shop/preview", csrf, set("shop", "finance", "east")), cookie);
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).contains("id=\"preview-error\"").contains("finance/shop");

    HttpResponse<String> bad =
        send(
            form(
                "/applicationsets/shop/preview",
                csrf,
                set("shop", "shop", "east").replace("- list:", "- lisst:")),
            cookie);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("spec.generators[0].lisst").contains("- lisst:");

    HttpResponse<String> blank = send(form("/applicationsets/shop/preview", csrf, " "), cookie);
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.body()).contains("spec: paste an ApplicationSet");
  }

  /** A set of Applications NAME-CLUSTER in {@code project}, one per cluster, from a list. */
  private static String set(String name, String project, String... clusters) {
    StringBuilder elements = new StringBuilder();
    for (String c : clusters) {
      elements.append("          - cluster: ").append(c).append('\n');
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: '%s-{{cluster}}'
            spec:
              project: %s
              source:
                repoURL: https://git.example/apps
                targetRevision: main
                path: apps/one
              destination:
                name: '{{cluster}}'
                namespace: one
        """
        .formatted(name, elements, name, project);
  }

  private String session(String user) throws Exception {
    String token = get(cp.tokens().createForUser(user, "ui", null)).plaintext();
    HttpResponse<String> r =
        send(
            req("/login")
                .header("Origin", base)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "next=%2F&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))),
            null);
    assertThat(r.statusCode()).isEqualTo(303);
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private HttpRequest.Builder form(String path, String csrf, String spec) {
    return req(path)
        .header("Origin", base)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "csrf=" + csrf + "&spec=" + URLEncoder.encode(spec, StandardCharsets.UTF_8)));
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

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf meta tag").isTrue();
    return m.group(1);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
