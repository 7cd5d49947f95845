package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The Application page's actions over real HTTP on a real database, without agents: the Sync page
 * and its dry run, Delete's typed confirmation, what a read-only user is shown and refused, and the
 * REST sync body's prune flag.
 */
class UiActionsIT extends UiItBase {

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
}
