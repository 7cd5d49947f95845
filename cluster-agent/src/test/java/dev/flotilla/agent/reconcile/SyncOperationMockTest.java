package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.agent.reconcile.operation.OperationPhase;
import dev.flotilla.agent.reconcile.operation.OperationState;
import dev.flotilla.agent.reconcile.operation.ResourceResult;
import dev.flotilla.agent.reconcile.operation.ResultCode;
import dev.flotilla.testkit.SteppingClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The sync operation a reconcile reports (Argo CD's status.operationState), against the mock API
 * server; time moves only when the test moves the clock, so no test waits minutes.
 */
@EnableKubernetesMockClient(crud = true)
class SyncOperationMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;
  final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T10:00:00Z"));

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  AppSpec app(String syncPolicy) {
    return AppSpec.parse(
        "shop",
        "default",
        "{\"source\":{\"repoURL\":\"https://git.example/infra.git\",\"path\":\"apps/shop\"},"
            + "\"destination\":{\"namespace\":\""
            + ns
            + "\"},\"syncPolicy\":"
            + syncPolicy
            + "}");
  }

  ApplicationReconciler reconciler(ReconcilerOptions options) {
    return new ApplicationReconciler(client, options.withClock(clock));
  }

  /**
   * A Deployment in wave 2 that never turns healthy (no controller), then a ConfigMap in wave 3.
   */
  void slowWave(String deadlineAnnotation) {
    repo.write(
            "apps/shop/web.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"2\"\n"
                + deadlineAnnotation
                + "spec:\n  replicas: 1\n")
        .write(
            "apps/shop/late.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"3\"\n");
  }

  @Test
  void aWaveWaitsPastTwoMinutesVisiblyUntilItsDeadline() {
    slowWave("");
    ApplicationReconciler r = reconciler(ReconcilerOptions.defaults());
    AppSpec app = app("{\"automated\":{}}");

    ReconcileResult first = r.reconcile(app, repo.root, "r1", true);
    clock.advance(Duration.ofMinutes(3));
    ReconcileResult later = r.reconcile(app, repo.root, "r1", true);

    assertThat(first.inProgress()).as(first.message()).isTrue();
    assertThat(later.inProgress()).as("still waiting after 3 minutes: " + later.message()).isTrue();
    OperationState op = r.operation("shop").orElseThrow();
    assertThat(op.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(op.message())
        .startsWith(
            "waiting for healthy state of apps/Deployment " + ns + "/web (wave 2), 3 min of 10 min")
        .contains("Progressing");
    assertThat(op.startedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
    assertThat(op.resources())
        .extracting(ResourceResult::status)
        .containsExactly(ResultCode.SYNCED);
    assertThat(client.configMaps().inNamespace(ns).withName("late").get()).isNull();

    clock.advance(Duration.ofMinutes(8));
    ReconcileResult failed = r.reconcile(app, repo.root, "r1", true);

    assertThat(failed.failed()).isTrue();
    OperationState end = r.operation("shop").orElseThrow();
    assertThat(end.phase()).isEqualTo(OperationPhase.FAILED);
    assertThat(end.message())
        .contains(
            "apps/Deployment "
                + ns
                + "/web (wave 2) did not become healthy within its"
                + " progress deadline of 10 min");
    assertThat(end.finishedAt()).contains(clock.instant());
  }

  @Test
  void anObjectSetsItsOwnProgressDeadline() {
    slowWave("    flotilla.dev/progress-deadline-seconds: \"60\"\n");
    ApplicationReconciler r = reconciler(ReconcilerOptions.defaults());
    AppSpec app = app("{\"automated\":{}}");

    r.reconcile(app, repo.root, "r1", true);
    clock.advance(Duration.ofSeconds(59));
    assertThat(r.reconcile(app, repo.root, "r1", true).inProgress()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    ReconcileResult failed = r.reconcile(app, repo.root, "r1", true);

    assertThat(failed.failed()).isTrue();
    assertThat(failed.message()).contains("progress deadline of 1 min");
  }

  @Test
  void terminatingStopsAWaitingWaveAndTheNextCommitStartsOver() {
    slowWave("");
    ApplicationReconciler r = reconciler(ReconcilerOptions.defaults());
    AppSpec app = app("{\"automated\":{}}");
    OperationState waiting = settleOnce(r, app, "r1");

    assertThat(r.terminateOperation("shop")).isTrue();

    OperationState ended = r.operation("shop").orElseThrow();
    assertThat(ended.id()).isEqualTo(waiting.id());
    assertThat(ended.phase()).isEqualTo(OperationPhase.FAILED);
    assertThat(ended.message()).startsWith("operation terminated (was: waiting for healthy state");
    assertThat(r.terminateOperation("shop")).as("nothing runs any more").isFalse();

    repo.delete("apps/shop/web.yaml");
    ReconcileResult next = r.reconcile(app, repo.root, "r2", true);
    assertThat(next.failed()).as(next.message()).isFalse();
    assertThat(r.operation("shop").orElseThrow().id()).isNotEqualTo(waiting.id());
    assertThat(r.operation("shop").orElseThrow().phase()).isEqualTo(OperationPhase.SUCCEEDED);
  }

  OperationState settleOnce(ApplicationReconciler r, AppSpec app, String rev) {
    ReconcileResult result = r.reconcile(app, repo.root, rev, true);
    assertThat(result.inProgress()).as(result.message()).isTrue();
    return r.operation(app.name()).orElseThrow();
  }

  @Test
  void aFailingSyncIsARunningOperationWithItsAttemptAndNextAttemptTime() {
    repo.write("apps/other/cm.yaml", configMap("shared"));
    repo.write("apps/shop/cm.yaml", configMap("shared"));
    ApplicationReconciler r = reconciler(ReconcilerOptions.defaults());
    r.reconcile(
        AppSpec.parse(
            "owner",
            "default",
            "{\"source\":{\"path\":\"apps/other\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"}}"),
        repo.root,
        "r0",
        true);
    AppSpec app =
        app(
            "{\"automated\":{},\"retry\":{\"limit\":5,\"backoff\":{\"duration\":\"10s\",\"factor\":2}}}");

    r.reconcile(app, repo.root, "r1", true);
    clock.advance(Duration.ofSeconds(10));
    r.reconcile(app, repo.root, "r1", true);
    clock.advance(Duration.ofSeconds(20));
    ReconcileResult third = r.reconcile(app, repo.root, "r1", true);

    assertThat(third.requeueAfter()).contains(Duration.ofSeconds(40));
    OperationState op = r.operation("shop").orElseThrow();
    assertThat(op.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(op.message()).startsWith("retrying (attempt 3 of 5) in 40s: sync error: ");
    assertThat(op.message()).contains("owned by application 'owner'");
    assertThat(op.retryCount()).isEqualTo(3);
    assertThat(op.nextAttemptAt()).contains(clock.instant().plusSeconds(40));
    assertThat(r.deployedRevision("shop")).isEmpty();
  }

  @Test
  void theLastSyncsResultSurvivesTheNextComparisonAndSelfHeal() {
    repo.write("apps/shop/web.yaml", ReconcileBenchmark.deployment("web", 1));
    ApplicationReconciler r =
        reconciler(
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    AppSpec app = app("{\"automated\":{\"selfHeal\":true}}");

    r.reconcile(app, repo.root, "r1", true);
    OperationState created = r.operation("shop").orElseThrow();
    clock.advance(Duration.ofSeconds(2));
    ReconcileResult selfHeal = r.reconcile(app, repo.root, "r1", true);
    ReconcileResult compared = r.reconcile(app, repo.root, "r1", false);

    assertThat(created.phase()).isEqualTo(OperationPhase.SUCCEEDED);
    assertThat(created.message()).contains("created 1");
    assertThat(selfHeal.message()).as("this reconcile's own summary").contains("created 0");
    assertThat(compared.message()).isEqualTo("compared (no changes made)");
    assertThat(r.operation("shop")).contains(created);
    assertThat(created.resources())
        .singleElement()
        .satisfies(
            res -> {
              assertThat(res.status()).isEqualTo(ResultCode.SYNCED);
              assertThat(res.message()).isEqualTo("created");
              assertThat(res.key().toString()).isEqualTo("apps/Deployment " + ns + "/web");
            });
    assertThat(r.deployedRevision("shop")).contains("r1");
  }
}
