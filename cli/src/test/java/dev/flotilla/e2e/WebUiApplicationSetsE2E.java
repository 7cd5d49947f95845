package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.TestRepo;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ApplicationSets pages in a real browser against a real control plane with agents and
 * simulated clusters. One fleet serves every test: set shop (project shop, a list of east and west)
 * and set dirs (project default, git directories apps/*). alice may get shop's sets and
 * Applications, and create nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiApplicationSetsE2E {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  private TestRepo repo;
  private Fleet fleet;
  private String aliceToken;
  private String shopSpec;
  private Browser browser;

  @BeforeAll
  void startFleet() throws Exception {
    Browser.assumeInstalled();
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "v1", "v1");
    fleet = new Fleet(tmp.resolve("fleet"), "east", "west");
    HttpResponse<String> project =
        fleet.rest(
            "POST",
            "/api/v1/projects",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata:
              name: shop
            spec:
              sourceRepos: ['*']
              destinations:
                - name: '*'
                  namespace: shop
            """);
    assertThat(project.statusCode()).as(project.body()).isEqualTo(200);
    shopSpec =
        AppSets.appsOneOn("shop", "shop", repo.url(), "", "east", "west")
            .replace("project: default", "project: shop")
            .replace("namespace: one", "namespace: shop");
    fleet.apply(shopSpec);
    fleet.apply(AppSets.gitDirectories(repo.url()));

    var cp = fleet.controlPlane();
    Fleet.get(cp.users().create("alice", "Alice"));
    Fleet.get(
        cp.policies()
            .put(
                Fleet.get(cp.policies().get()).text()
                    + "\np, alice, applications, get, shop/*, allow"
                    + "\np, alice, applicationsets, get, shop/*, allow\n",
                "test"));
    cp.access().invalidate();
    aliceToken = Fleet.get(cp.tokens().createForUser("alice", "ui", null)).plaintext();
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    browser = new Browser("http://127.0.0.1:" + fleet.controlPlane().httpPort());
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  @Test
  void theListAndTheDetailDescribeEachSetAndItsApplications() {
    browser.open("/applicationsets").login(fleet.controlPlane().adminToken().value());
    assertThat(browser.attributes("#appset-list tr[data-appset]", "data-appset"))
        .containsExactly("dirs", "shop");
    assertThat(browser.text("tr[data-appset=shop] td.generators")).isEqualTo("list of 2 elements");
    assertThat(browser.text("tr[data-appset=dirs] td.generators"))
        .isEqualTo("git directories apps/* in " + repo.url() + "@main");
    assertThat(browser.text("tr[data-appset=shop] td.num")).isEqualTo("2");
    assertThat(browser.text("tr[data-appset=shop] td.state")).contains("Up to date");
    browser.screenshot("applicationsets");

    browser.submit("tr[data-appset=shop] td a");
    assertThat(browser.path()).isEqualTo("/applicationsets/shop");
    assertThat(browser.text("#generators")).contains("list of 2 elements");
    assertThat(browser.attributes("#appset-apps tr[data-app]", "data-app"))
        .containsExactly("shop-east", "shop-west");
    assertThat(browser.text("#appset-apps tr[data-app=shop-east]")).contains("OutOfSync");
    assertThat(browser.text("#appset-conditions tr[data-condition=ErrorOccurred]"))
        .contains("False")
        .contains("generated without errors");
    assertThat(browser.text("#appset-spec pre"))
        .as("in the order people write it, not jsonb's")
        .startsWith("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:");
    browser.screenshot("applicationset-detail");
    browser.submit("#all-apps");
    assertThat(browser.path()).isEqualTo("/applications?appset=shop");
  }

  @Test
  void aPreviewShowsWhatAnEditedSpecWouldProduceAndStoresNothing() {
    browser.open("/applicationsets/shop").login(fleet.controlPlane().adminToken().value());
    assertThat(browser.one("#preview-form textarea").getAttribute("value"))
        .as("prefilled with the stored spec")
        .contains("cluster: west");
    editSpec("cluster: west", "cluster: north");
    browser.click("#preview-button");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(browser.attributes("#preview-apps tr[data-app]", "data-app"))
                    .containsExactly("shop-east", "shop-north"));
    assertThat(browser.text("#preview-apps tr[data-app=shop-north]")).contains("new");
    assertThat(browser.text("#preview-apps tr[data-app=shop-east]")).contains("exists");
    assertThat(browser.attributes("#preview-removed a[data-app]", "data-app"))
        .containsExactly("shop-west");
    assertThat(browser.text("#preview-summary"))
        .contains("Would produce 2 Application(s): 1 new, 1 no longer generated");
    browser.screenshot("applicationset-preview");
    assertThat(fleet.application("shop-north")).as("a preview stores nothing").isEmpty();
    assertThat(fleet.application("shop-west")).isPresent();

    editSpec("- list:", "- lisst:");
    browser.click("#preview-button");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(browser.text("#preview-error"))
                    .contains("spec.generators[0].lisst")
                    .contains("unknown generator 'lisst'"));
    assertThat(browser.one("#preview-form textarea").getAttribute("value"))
        .as("the edited spec is kept for fixing")
        .contains("lisst");
    assertThat(browser.all("#preview-result")).isEmpty();
    browser.screenshot("applicationset-preview-error");
  }

  @Test
  void aReadOnlyUserHasNoPreviewAndAnotherTeamsSetIsNotFound() {
    browser.open("/applicationsets").login(aliceToken);
    assertThat(browser.attributes("#appset-list tr[data-appset]", "data-appset"))
        .containsExactly("shop");

    browser.open("/applicationsets/shop");
    assertThat(browser.attributes("#appset-apps tr[data-app]", "data-app"))
        .containsExactly("shop-east", "shop-west");
    assertThat(browser.all("#preview-button")).as("alice may not create").isEmpty();
    assertThat(browser.text("#preview-not-allowed")).contains("applicationsets, create");
    browser.screenshot("applicationset-read-only");
    String csrf = browser.one("meta[name=csrf-token]").getAttribute("content");
    String forged =
        browser.post(
            "/applicationsets/shop/preview",
            "csrf=" + csrf + "&spec=" + URLEncoder.encode(shopSpec, StandardCharsets.UTF_8));
    assertThat(forged).startsWith("403 ").contains("Not allowed").doesNotContain("shop-north");
    assertThat(browser.post("/applicationsets/shop/preview", "spec=x"))
        .startsWith("403 ")
        .contains("did not come from a Flotilla page");

    browser.open("/applicationsets/dirs");
    assertThat(browser.text("main h1")).isEqualTo("Not found");
    String hidden = browser.pageText().replace("dirs", "X");
    browser.screenshot("applicationset-not-found");
    browser.open("/applicationsets/no-such-set");
    assertThat(browser.pageText().replace("no-such-set", "X"))
        .as("a hidden ApplicationSet looks exactly like a missing one")
        .isEqualTo(hidden);
    String forgedHidden =
        browser.post(
            "/applicationsets/dirs/preview",
            "csrf=" + csrf + "&spec=" + URLEncoder.encode(shopSpec, StandardCharsets.UTF_8));
    assertThat(forgedHidden).startsWith("404 ");
  }

  /** Replaces {@code from} with {@code to} in the preview form's spec. */
  private void editSpec(String from, String to) {
    browser.script(
        "var t = document.querySelector('#preview-form textarea');"
            + " t.value = t.value.split(arguments[0]).join(arguments[1]);",
        from,
        to);
  }
}
