package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.TestRepo;
import java.net.http.HttpResponse;
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
 * The web UI in a real browser (headless Chromium) against a real control plane with agents and
 * simulated clusters. One fleet serves every test: project shop holds shop-east and shop-west
 * (manual sync), project default holds live-east (automated). alice may only get shop's
 * Applications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiE2E {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  private TestRepo repo;
  private Fleet fleet;
  private String aliceToken;
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
    fleet.apply(
        AppSets.appsOneOn("shop", "shop", repo.url(), "", "east", "west")
            .replace("project: default", "project: shop")
            .replace("namespace: one", "namespace: shop"));
    fleet.apply(
        AppSets.appsOneOn("live", "live", repo.url(), AppSets.automated(true, false), "east")
            .replace("namespace: one", "namespace: live"));
    fleet.awaitSynced("live-east");

    var cp = fleet.controlPlane();
    Fleet.get(cp.users().create("alice", "Alice"));
    Fleet.get(
        cp.policies()
            .put(
                Fleet.get(cp.policies().get()).text()
                    + "\np, alice, applications, get, shop/*, allow\n",
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

  private String admin() {
    return fleet.controlPlane().adminToken().value();
  }

  @Test
  void loginWithATokenAndLogout() {
    browser.open("/applications?q=live");
    assertThat(browser.path()).startsWith("/login?next=");
    browser.screenshot("login");

    browser.login("not-a-token");
    browser.awaitText("p.error", "that token is not valid");
    assertThat(browser.pageText()).doesNotContain("not-a-token");
    browser.screenshot("login-refused");

    browser.login(admin());
    assertThat(browser.path())
        .as("back where the user was going")
        .isEqualTo("/applications?q=live");
    assertThat(browser.text(".who .user")).isNotBlank();
    assertThat(browser.attributes("#app-list tr[data-app]", "data-app")).hasSize(1);

    browser.logout();
    assertThat(browser.path()).startsWith("/login");
    browser.open("/applications");
    assertThat(browser.path()).as("the session is gone").startsWith("/login");
  }

  @Test
  void aTeamUserSeesOnlyItsApplicationsAndNotFoundForAnotherTeams() {
    browser.open("/applications").login(aliceToken);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(browser.attributes("#app-list tr[data-app]", "data-app"))
                    .containsExactlyInAnyOrder("shop-east", "shop-west"));
    assertThat(browser.text("#total")).isEqualTo("2");
    browser.screenshot("applications-team-user");

    browser.open("/applications/live-east");
    String hidden = browser.pageText().replace("live-east", "X");
    assertThat(browser.text("main h1")).isEqualTo("Not found");
    browser.screenshot("not-found");
    browser.open("/applications/no-such-app");
    assertThat(browser.pageText().replace("no-such-app", "X"))
        .as("a hidden Application looks exactly like a missing one")
        .isEqualTo(hidden);
  }

  @Test
  void filtersAndPagingAreKeptInTheUrl() {
    browser.open("/applications").login(admin());
    browser.one("#filters input[name=project]").sendKeys("shop");
    browser.script("document.querySelector('#filters select[name=sort]').value = 'name';");
    browser.submit("#filters button[type=submit]");
    assertThat(browser.path()).contains("project=shop");
    assertThat(browser.attributes("#app-list tr[data-app]", "data-app"))
        .containsExactly("shop-east", "shop-west");

    browser.open("/applications?project=shop&size=1");
    assertThat(browser.text("#page-of")).isEqualTo("Page 1 of 2");
    assertThat(browser.attributes("#app-list tr[data-app]", "data-app")).hasSize(1);
    browser.submit("a[rel=next]");
    assertThat(browser.path()).contains("project=shop").contains("size=1").contains("page=2");
    assertThat(browser.text("#page-of")).isEqualTo("Page 2 of 2");
    assertThat(browser.attributes("#app-list tr[data-app]", "data-app"))
        .containsExactly("shop-west");
    assertThat(browser.one("#filters input[name=project]").getAttribute("value"))
        .as("the form shows the filter of the URL")
        .isEqualTo("shop");
    browser.screenshot("applications-filtered-page-2");

    browser.open("/applications?project=shop&view=tiles");
    assertThat(browser.all(".tiles article[data-app]")).hasSize(2);
    browser.screenshot("applications-tiles");

    browser.open("/applications?sync=Green");
    assertThat(browser.text("#query-error")).contains("'Green' is not one of");
  }

  @Test
  void aCommitReachesTheOpenPageWithoutReload() throws Exception {
    browser.open("/applications/live-east").login(admin());
    assertThat(browser.text("#sync-status")).contains("Synced");
    browser.awaitLive();
    browser.markDocument();
    browser.screenshot("application-detail");

    repo.write("apps/one/config.yaml", TestRepo.configMap("one-config", "greeting", "live"));
    String sha = repo.commit("live update");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(browser.text("#status")).contains(sha.substring(0, 7));
              assertThat(browser.text("#sync-status")).contains("Synced");
            });
    assertThat(browser.sameDocument()).as("updated in place, not reloaded").isTrue();
    assertThat(browser.all("#history tbody tr")).hasSizeGreaterThanOrEqualTo(2);
    browser.screenshot("application-detail-after-commit");
  }

  @Test
  void anAdminSyncsAndAReadOnlyUserCannot() throws Exception {
    browser.open("/applications/shop-west").login(aliceToken);
    await().atMost(WAIT).until(() -> browser.text("#sync-status").contains("OutOfSync"));
    assertThat(browser.script("return document.getElementById('sync').disabled;"))
        .as("alice may not sync")
        .isEqualTo(true);
    browser.screenshot("application-read-only");
    String csrf = browser.one("meta[name=csrf-token]").getAttribute("content");
    String refused = browser.post("/applications/shop-west/sync", "csrf=" + csrf);
    assertThat(refused).startsWith("403 ").contains("Not allowed");
    assertThat(fleet.application("shop-west").orElseThrow().syncStatus()).isEqualTo("OutOfSync");
    browser.logout();

    browser.open("/applications/shop-west").login(admin());
    browser.awaitLive();
    browser.click("#sync");
    browser.awaitText(".flash", "Sync requested");
    browser.markDocument();
    await().atMost(WAIT).until(() -> browser.text("#sync-status").contains("Synced"));
    assertThat(browser.sameDocument()).as("the result arrives live").isTrue();
    assertThat(fleet.configMap("west", "shop", "one-config")).isNotNull();
    browser.screenshot("application-synced-by-admin");
  }

  @Test
  void aForgedOrStaleRequestIsRefused() throws Exception {
    browser.open("/applications/shop-east").login(admin());
    browser.awaitLive();
    String noToken = browser.post("/applications/shop-east/refresh", "");
    assertThat(noToken).startsWith("403 ").contains("did not come from a Flotilla page");
    browser.script(
        "document.querySelector('form[action$=\"/refresh\"] input[name=csrf]').value = 'x';");
    browser.click("#refresh");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(browser.pageText()).contains("did not come from a Flotilla page"));
    browser.screenshot("csrf-refused");

    browser.open("/applications/shop-east");
    browser.awaitLive();
    Fleet.get(
        fleet
            .controlPlane()
            .applications()
            .pool()
            .query("UPDATE ui_sessions SET expires_at = now() - interval '1 minute'")
            .execute());
    browser.click("#refresh");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(browser.pageText()).contains("Your session has ended: log in again."));
    browser.open("/applications/shop-east");
    assertThat(browser.path()).as("an expired session logs in again").startsWith("/login?next=");
  }

  @Test
  void theClustersPageShowsEachAgentAndTheStatesOfItsApplications() {
    browser.open("/clusters").login(admin());
    assertThat(browser.attributes("#cluster-list tr[data-cluster]", "data-cluster"))
        .containsExactly("east", "west");
    assertThat(browser.text("tr[data-cluster=east]")).contains("Connected").contains("env=east");
    assertThat(browser.text("tr[data-cluster=east] td.num")).isEqualTo("2");
    assertThat(browser.text("tr[data-cluster=west] td.num")).isEqualTo("1");
    browser.screenshot("clusters");
    browser.submit("tr[data-cluster=west] td.num a");
    assertThat(browser.path()).isEqualTo("/applications?cluster=west");

    browser.open("/clusters?selector=env%20in%20(");
    assertThat(browser.text("#query-error")).startsWith("selector: ");
    browser.logout();

    browser.open("/clusters").login(aliceToken);
    assertThat(browser.all("#cluster-list tr[data-cluster]"))
        .as("alice may see no cluster")
        .isEmpty();
  }

  @Test
  void aManualEditAppearsOnTheFleetDriftPageForThoseWhoMaySeeIt() {
    fleet
        .cluster("east")
        .client()
        .configMaps()
        .inNamespace("live")
        .withName("one-config")
        .edit(
            cm -> {
              cm.getData().put("greeting", "edited by hand");
              return cm;
            });
    browser.open("/drift").login(admin());
    String row = "tr[data-object='ConfigMap/live/one-config']";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              browser.open("/drift?application=live-east");
              assertThat(browser.all(row)).hasSize(1);
              assertThat(browser.text(row + " td.fields")).contains("edited by hand");
            });
    assertThat(browser.text(row)).contains("live-east").contains("east");
    assertThat(browser.text("#drift-totals .totals-cluster")).contains("east");
    browser.screenshot("fleet-drift");

    String csv =
        String.valueOf(
            browser
                .driver()
                .executeAsyncScript(
                    "var done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById('csv').getAttribute('href'))"
                        + ".then(function (r) { return r.text().then(function (t) {"
                        + " done(r.status + ' ' + t); }); });"));
    assertThat(csv).startsWith("200 ").contains("one-config").contains("edited by hand");

    browser.open("/drift?cluster=west");
    assertThat(browser.all(row)).isEmpty();
    browser.open("/drift?healed=maybe");
    assertThat(browser.text("#query-error")).contains("healed: 'maybe' is not one of yes, no");
    browser.logout();

    browser.open("/drift").login(aliceToken);
    assertThat(browser.all(row)).as("live-east is not alice's").isEmpty();
    assertThat(browser.pageText()).doesNotContain("live-east");
  }

  @Test
  void theProjectsPageShowsWhatEachProjectAllows() {
    browser.open("/projects").login(admin());
    assertThat(browser.attributes("#project-list tr[data-project]", "data-project"))
        .as("the implicit default project is not stored")
        .containsExactly("shop");
    assertThat(browser.text("tr[data-project=shop]")).contains("* / shop");
    browser.screenshot("projects");
    browser.logout();
    browser.open("/projects").login(aliceToken);
    assertThat(browser.all("#project-list tr[data-project]"))
        .as("alice may get no project")
        .isEmpty();
  }

  @Test
  void theAuditPageListsTheLogNewestFirstAndFiltersByActor() {
    browser.open("/audit").login(admin());
    assertThat(browser.all("#audit-list tr[data-audit]")).isNotEmpty();
    browser.screenshot("audit");
    String actor = browser.text("#audit-list tr[data-audit] td:nth-child(2)");
    browser.one("#filters input[name=actor]").sendKeys(actor);
    browser.submit("#filters button[type=submit]");
    assertThat(browser.path()).startsWith("/audit?actor=");
    assertThat(browser.attributes("#audit-list tr[data-audit]", "data-audit")).isNotEmpty();
    assertThat(
            browser.script(
                "var actor = arguments[0];"
                    + " return Array.from(document.querySelectorAll('#audit-list tr[data-audit]"
                    + " td:nth-child(2)')).every(function (td) {"
                    + " return td.innerText.trim() === actor; });",
                actor))
        .isEqualTo(true);
    browser.open("/audit?page=not-a-token");
    assertThat(browser.text("#query-error")).startsWith("page");
  }
}
