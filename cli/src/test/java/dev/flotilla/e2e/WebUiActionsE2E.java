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
 * The Application page's actions in a real browser: Sync with prune and a dry run, Rollback from
 * the History (refused for a read-only user and while automated sync is on), Delete with a typed
 * confirmation, and the banner an open page shows when its session ends. One fleet (cluster east)
 * serves every test: pruned-east and roll-east are manual, auto-east is automated; alice may only
 * get Applications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiActionsE2E {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  private TestRepo repo;
  private Fleet fleet;
  private String aliceToken;
  private Browser browser;

  @BeforeAll
  void startFleet() throws Exception {
    Browser.assumeInstalled();
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/one/config.yaml", TestRepo.configMap("one-config", "greeting", "v1"));
    repo.write("apps/one/extra.yaml", TestRepo.configMap("extra-config", "k", "v"));
    repo.write("apps/two/config.yaml", TestRepo.configMap("two-config", "greeting", "v1"));
    repo.commit("v1");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    fleet.apply(on("pruned", "apps/one", "pruned", ""));
    fleet.apply(on("roll", "apps/two", "roll", ""));
    fleet.apply(on("auto", "apps/two", "auto", AppSets.automated(false, false)));
    fleet.awaitSynced("auto-east");

    var cp = fleet.controlPlane();
    Fleet.get(cp.users().create("alice", "Alice"));
    Fleet.get(
        cp.policies()
            .put(
                Fleet.get(cp.policies().get()).text()
                    + "\np, alice, applications, get, */*, allow\n",
                "test"));
    cp.access().invalidate();
    aliceToken = Fleet.get(cp.tokens().createForUser("alice", "ui", null)).plaintext();
  }

  private String on(String name, String path, String namespace, String syncPolicy) {
    return AppSets.appsOneOn(name, name, repo.url(), syncPolicy, "east")
        .replace("path: apps/one", "path: " + path)
        .replace("namespace: one", "namespace: " + namespace);
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

  private String csrf() {
    return browser.one("meta[name=csrf-token]").getAttribute("content");
  }

  @Test
  void syncWithPruneRemovesWhatGitDroppedAndADryRunAppliesNothing() throws Exception {
    browser.open("/applications/pruned-east").login(admin());
    browser.submit("#sync-options");
    assertThat(browser.path()).isEqualTo("/applications/pruned-east/sync");
    assertThat(browser.one("#revision").getAttribute("value")).isEqualTo("main");
    browser.submit("#sync-now");
    browser.awaitText(".flash", "Sync requested");
    await().atMost(WAIT).until(() -> fleet.configMap("east", "pruned", "extra-config") != null);
    fleet.awaitSynced("pruned-east");

    repo.remove("apps/one/extra.yaml");
    String without = repo.commit("extra goes");
    await()
        .atMost(WAIT)
        .until(
            () ->
                fleet
                    .application("pruned-east")
                    .map(a -> "OutOfSync".equals(a.syncStatus()))
                    .orElse(false));

    browser.open("/applications/pruned-east/sync");
    browser.submit("#dry-run");
    assertThat(browser.attributes("#preview tr[data-name=extra-config]", "data-change"))
        .as("without prune, an object Git dropped stays")
        .containsExactly("keep");
    browser.click("#prune");
    browser.submit("#dry-run");
    assertThat(browser.attributes("#preview tr[data-name=extra-config]", "data-change"))
        .containsExactly("delete");
    assertThat(browser.text("#preview-summary")).contains("1 to delete").contains("Nothing was");
    browser.screenshot("sync-dry-run");
    assertThat(fleet.configMap("east", "pruned", "extra-config"))
        .as("a dry run applies nothing")
        .isNotNull();

    assertThat(browser.one("#prune").isSelected()).as("the options are kept").isTrue();
    browser.submit("#sync-now");
    browser.awaitText(".flash", "Sync with prune requested");
    await().atMost(WAIT).until(() -> fleet.configMap("east", "pruned", "extra-config") == null);
    fleet.awaitRevision(without, "pruned-east");
    assertThat(fleet.configMap("east", "pruned", "one-config")).isNotNull();
  }

  @Test
  void rollbackFromTheHistoryDeploysTheOlderRevisionAndIsRefusedForAReadOnlyUser()
      throws Exception {
    HttpResponse<String> first = fleet.rest("POST", "/api/v1/applications/roll-east/sync", "{}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    await().atMost(WAIT).until(() -> fleet.configMap("east", "roll", "two-config") != null);
    fleet.awaitSynced("roll-east");
    repo.write("apps/two/config.yaml", TestRepo.configMap("two-config", "greeting", "v2"));
    String v2 = repo.commit("v2");
    // The agent compared with v2 (manual policy: nothing applied yet); a sync now deploys it.
    fleet.awaitRevision(v2, "roll-east");
    HttpResponse<String> second = fleet.rest("POST", "/api/v1/applications/roll-east/sync", "{}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
    await()
        .atMost(WAIT)
        .until(
            () ->
                "v2"
                    .equals(
                        fleet.configMap("east", "roll", "two-config").getData().get("greeting")));

    browser.open("/applications/roll-east").login(aliceToken);
    await().atMost(WAIT).until(() -> browser.all("#history tbody tr").size() >= 2);
    assertThat(browser.all("#history button.rollback"))
        .isNotEmpty()
        .allMatch(b -> !b.isEnabled(), "disabled for alice");
    String older = browser.attributes("#history tbody tr", "data-id").get(1);
    String refused =
        browser.post("/applications/roll-east/rollback", "csrf=" + csrf() + "&id=" + older);
    assertThat(refused).startsWith("403 ").contains("Not allowed");
    browser.screenshot("history-read-only");
    browser.logout();

    browser.open("/applications/roll-east").login(admin());
    assertThat(browser.text("#history tbody tr:first-child")).contains("deployed");
    browser.submit("#history tr[data-id='" + older + "'] button.rollback");
    browser.awaitText(".flash", "Rollback requested");
    await()
        .atMost(WAIT)
        .until(
            () ->
                "v1"
                    .equals(
                        fleet.configMap("east", "roll", "two-config").getData().get("greeting")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              browser.open("/applications/roll-east");
              assertThat(browser.text("#history tbody tr:first-child")).contains("rollback");
            });
    browser.screenshot("history-after-rollback");

    // Automated sync would undo a rollback at once: the service refuses, the page says why.
    browser.open("/applications/auto-east");
    String automated = browser.post("/applications/auto-east/rollback", "csrf=" + csrf() + "&id=1");
    assertThat(automated).startsWith("409 ").contains("has automated sync");
  }

  @Test
  void deleteNeedsTheExactName() throws Exception {
    HttpResponse<String> made =
        fleet.rest(
            "POST",
            "/api/v1/applications",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: scratch
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/two
              destination:
                name: east
                namespace: scratch
            """
                .formatted(repo.url()));
    assertThat(made.statusCode()).as(made.body()).isBetween(200, 201);

    browser.open("/applications/scratch").login(admin());
    browser.submit("#delete");
    browser.one("#confirm").sendKeys("scratc");
    browser.submit("#delete-now");
    assertThat(browser.text("#delete-error"))
        .contains("'scratc', is not 'scratch'")
        .contains("nothing was deleted");
    browser.screenshot("delete-refused");
    assertThat(fleet.application("scratch")).isPresent();

    browser.one("#confirm").sendKeys("scratch");
    browser.submit("#delete-now");
    await().atMost(WAIT).until(() -> browser.path().startsWith("/applications?"));
    browser.awaitText(".flash", "Application deleted");
    assertThat(fleet.application("scratch")).isEmpty();

    // An ApplicationSet's Application: the service's own refusal, nothing deleted.
    browser.open("/applications/roll-east/delete");
    browser.screenshot("delete-form");
    browser.one("#confirm").sendKeys("roll-east");
    browser.submit("#delete-now");
    assertThat(browser.text("#delete-error")).containsIgnoringCase("ApplicationSet");
    browser.screenshot("delete-appset-refused");
    assertThat(fleet.application("roll-east")).isPresent();
  }

  @Test
  void anOpenPageSaysWhenItsSessionEnded() {
    browser.open("/applications/auto-east").login(admin());
    browser.awaitLive();
    // Logged out elsewhere (another tab of this browser): the open page learns it.
    String out = browser.post("/logout", "csrf=" + csrf());
    assertThat(out).as("a redirect, not followed").startsWith("0 ");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.text("#session-ended"))
                    .contains("Your session has ended")
                    .contains("log in again"));
    assertThat(browser.one("#session-ended a").getAttribute("href"))
        .endsWith("/login?next=%2Fapplications%2Fauto-east");
    browser.screenshot("session-ended");
  }
}
