package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Argo CD resource hooks against the mock API server, where a watch plays the Job controller: it
 * marks each hook Job Complete or Failed as soon as it appears. The order of writes is asserted on
 * the requests the mock server recorded.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceHooksMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;
  KubernetesMockServer server;
  Watch controller;
  final List<String> requests = new ArrayList<>();

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  @AfterEach
  void stopController() {
    if (controller != null) {
      controller.close();
    }
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

  static final String AUTO = "{\"automated\":{\"prune\":true}}";

  ApplicationReconciler healthyWorkloads() {
    return new ApplicationReconciler(
        client, ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
  }

  static String job(String nameField, String hook, String deletePolicy) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  "
        + nameField
        + "\n  annotations:\n    argocd.argoproj.io/hook: "
        + hook
        + "\n"
        + (deletePolicy == null
            ? ""
            : "    argocd.argoproj.io/hook-delete-policy: " + deletePolicy + "\n")
        + "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        + "      containers:\n      - name: run\n        image: tools:1\n";
  }

  static String deployment(String image) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
        + "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n"
        + "      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n"
        + "        image: "
        + image
        + "\n";
  }

  /** Plays the Job controller: each new Job gets the condition {@code outcome} names, if any. */
  void jobController(Function<String, String> outcome) {
    controller =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .watch(
                new Watcher<Job>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    String condition = outcome.apply(job.getMetadata().getName());
                    if (action == Action.ADDED && condition != null && job.getStatus() == null) {
                      finish(job.getMetadata().getName(), condition);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  void finish(String name, String condition) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            j ->
                new JobBuilder(j)
                    .withNewStatus()
                    .addNewCondition()
                    .withType(condition)
                    .withStatus("True")
                    .withMessage(condition.equals("Failed") ? "BackoffLimitExceeded" : "done")
                    .endCondition()
                    .endStatus()
                    .build());
  }

  /** Reconciles whenever the result asks to come back, as the agent's queue does. */
  ReconcileResult settle(ApplicationReconciler r, AppSpec app, String revision) {
    AtomicReference<ReconcileResult> last =
        new AtomicReference<>(r.reconcile(app, repo.root, revision, true));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              if (last.get().requeueAfter().isEmpty()) {
                return true;
              }
              last.set(r.reconcile(app, repo.root, revision, true));
              return false;
            });
    return last.get();
  }

  /** The writes the mock server saw so far ("POST jobs", "DELETE jobs/migrate", ...), in order. */
  List<String> writes() throws InterruptedException {
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String path = r.getPath().replaceFirst("\\?.*", "");
      String method = r.getMethod();
      if (method.equals("GET")) {
        continue;
      }
      String prefix = "/namespaces/" + ns + "/";
      int at = path.indexOf(prefix);
      requests.add(method + " " + (at < 0 ? path : path.substring(at + prefix.length())));
    }
    return requests;
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  @Test
  void preSyncMigrationJobRunsCompletesAndIsDeletedBeforeTheDeploymentIsApplied() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("generateName: migrate-", "PreSync", "HookSucceeded"));
    jobController(name -> "Complete");
    ApplicationReconciler r = healthyWorkloads();

    ReconcileResult result = settle(r, app(AUTO), "r1");

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(result.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNotNull();
    assertThat(jobs()).as("deleted by HookSucceeded").isEmpty();
    List<String> writes = writes();
    int created = indexOf(writes, "POST jobs");
    int deleted = indexOf(writes, "DELETE jobs/migrate-");
    int deployed = indexOf(writes, "POST deployments");
    assertThat(created).as(writes.toString()).isNotNegative();
    assertThat(created).as(writes.toString()).isLessThan(deleted);
    assertThat(deleted).as(writes.toString()).isLessThan(deployed);
    assertThat(result.resources())
        .filteredOn(ResourceLine::isHook)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.syncPhase()).isEqualTo("PreSync");
              assertThat(line.hookPhase()).isEqualTo("Succeeded");
              assertThat(line.key().name()).startsWith("migrate-");
            });

    // Nothing out of sync: a resync runs no hook.
    ReconcileResult again = settle(r, app(AUTO), "r1");
    assertThat(again.failed()).as(again.message()).isFalse();
    assertThat(writes().stream().filter(w -> w.startsWith("POST jobs"))).hasSize(1);
  }

  @Test
  void aFailingPreSyncJobStopsTheSyncAndRunsTheSyncFailHook() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("name: migrate", "PreSync", null))
        .write("apps/shop/cleanup.yaml", job("name: cleanup", "SyncFail", null))
        .write("apps/shop/smoke.yaml", job("name: smoke", "PostSync", null));
    jobController(name -> name.equals("migrate") ? "Failed" : "Complete");

    ReconcileResult result = settle(healthyWorkloads(), app(AUTO), "r1");

    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .contains(
            "PreSync hook batch/Job " + ns + "/migrate failed: Job failed: BackoffLimitExceeded")
        .contains("SyncFail hooks completed");
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get())
        .as("no resource is applied after a PreSync failure")
        .isNull();
    assertThat(jobs().stream().map(j -> j.getMetadata().getName()))
        .as("SyncFail ran; PostSync did not; BeforeHookCreation keeps them until the next sync")
        .containsExactlyInAnyOrder("migrate", "cleanup");
    assertThat(writes()).noneMatch(w -> w.startsWith("POST deployments"));
    assertThat(result.resources())
        .filteredOn(ResourceLine::isHook)
        .extracting(l -> l.syncPhase() + " " + l.key().name() + " " + l.hookPhase())
        .containsExactly("PreSync migrate Failed", "SyncFail cleanup Succeeded");
  }

  @Test
  void postSyncRunsOnlyOnceTheResourcesAreHealthy() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/smoke.yaml", job("generateName: smoke-", "PostSync", "HookSucceeded"));
    jobController(name -> "Complete");
    ApplicationReconciler r = new ApplicationReconciler(client); // a statusless Deployment rolls

    ReconcileResult rolling = r.reconcile(app(AUTO), repo.root, "r1", true);

    assertThat(rolling.inProgress()).as(rolling.message()).isTrue();
    assertThat(rolling.message()).startsWith("waiting for healthy resources before PostSync hooks");
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNotNull();
    assertThat(writes()).noneMatch(w -> w.startsWith("POST jobs"));

    // The Deployment controller finishes the rollout.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .editStatus(
            d -> {
              d.setStatus(
                  new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(1)
                      .withUpdatedReplicas(1)
                      .withReadyReplicas(1)
                      .withAvailableReplicas(1)
                      .build());
              return d;
            });
    ReconcileResult done = settle(r, app(AUTO), "r1");

    assertThat(done.failed()).as(done.message()).isFalse();
    assertThat(done.inProgress()).isFalse();
    List<String> writes = writes();
    assertThat(indexOf(writes, "POST deployments")).isLessThan(indexOf(writes, "POST jobs"));
    assertThat(indexOf(writes, "POST jobs")).isLessThan(indexOf(writes, "DELETE jobs/smoke-"));
    assertThat(done.resources())
        .filteredOn(ResourceLine::isHook)
        .extracting(l -> l.syncPhase() + " " + l.hookPhase())
        .containsExactly("PostSync Succeeded");
  }

  @Test
  void beforeHookCreationDeletesThePreviousHookBeforeCreatingTheNewOne() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("name: migrate", "PreSync", null));
    jobController(name -> "Complete");
    ApplicationReconciler r = healthyWorkloads();
    assertThat(settle(r, app(AUTO), "r1").failed()).isFalse();
    String firstUid = jobs().get(0).getMetadata().getUid();
    writes();
    requests.clear();

    repo.write("apps/shop/web.yaml", deployment("web:2"));
    ReconcileResult second = settle(r, app(AUTO), "r2");

    assertThat(second.failed()).as(second.message()).isFalse();
    List<String> writes = writes();
    assertThat(writes.subList(0, 2))
        .as(writes.toString())
        .containsExactly("DELETE jobs/migrate", "POST jobs");
    assertThat(indexOf(writes, "POST jobs")).isLessThan(indexOf(writes, "PATCH deployments/web"));
    assertThat(jobs())
        .singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isNotEqualTo(firstUid));
  }

  @Test
  void aGenerateNameHookGetsAFreshNameEachSyncAndIsNeitherPrunedNorOutOfSync() {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("generateName: migrate-", "PreSync", null));
    jobController(name -> "Complete");
    ApplicationReconciler r = healthyWorkloads();
    assertThat(settle(r, app(AUTO), "r1").failed()).isFalse();
    repo.write("apps/shop/web.yaml", deployment("web:2"));

    ReconcileResult second = settle(r, app(AUTO), "r2");

    assertThat(second.failed()).as(second.message()).isFalse();
    assertThat(second.sync()).isEqualTo(SyncState.SYNCED);
    List<String> names = jobs().stream().map(j -> j.getMetadata().getName()).toList();
    assertThat(names).hasSize(2).allMatch(n -> n.matches("migrate-[0-9a-f]{5}"));
    assertThat(names.get(0)).isNotEqualTo(names.get(1));
    assertThat(second.resources().stream().filter(l -> !l.isHook()))
        .allMatch(l -> l.sync() == SyncState.SYNCED);
  }

  @Test
  void aManualSyncRunsTheHooksEvenWhenEverythingIsInSync() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("generateName: migrate-", "PreSync", "HookSucceeded"));
    jobController(name -> "Complete");
    ApplicationReconciler r = healthyWorkloads();
    assertThat(settle(r, app(AUTO), "r1").failed()).isFalse();

    r.manualSyncRequested("shop");
    ReconcileResult manual = settle(r, app(AUTO), "r1");

    assertThat(manual.failed()).as(manual.message()).isFalse();
    assertThat(writes().stream().filter(w -> w.startsWith("POST jobs"))).hasSize(2);
  }

  @Test
  void aSyncHookRunsWithItsWaveAndTheNextWaveWaitsForIt() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write(
            "apps/shop/late.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"2\"\n")
        .write(
            "apps/shop/warm.yaml",
            job("name: warm-cache", "Sync", "HookSucceeded")
                .replace(
                    "  annotations:\n",
                    "  annotations:\n    argocd.argoproj.io/sync-wave: \"1\"\n"));
    jobController(name -> "Complete");

    ReconcileResult result = settle(healthyWorkloads(), app(AUTO), "r1");

    assertThat(result.failed()).as(result.message()).isFalse();
    List<String> writes = writes();
    assertThat(indexOf(writes, "POST deployments")).isLessThan(indexOf(writes, "POST jobs"));
    assertThat(indexOf(writes, "DELETE jobs/warm-cache"))
        .as(writes.toString())
        .isLessThan(indexOf(writes, "POST configmaps"));
  }

  @Test
  void helmHookAnnotationsAreMappedAsArgoCdMapsThem() throws Exception {
    String helmJob =
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: upgrade-db\n  annotations:\n"
            + "    helm.sh/hook: pre-install,pre-upgrade\n"
            + "    helm.sh/hook-delete-policy: hook-succeeded\n"
            + "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
            + "      containers:\n      - name: run\n        image: tools:1\n";
    String helmTest =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-connection\n  annotations:\n"
            + "    helm.sh/hook: test\nspec:\n  containers:\n  - name: t\n    image: busybox\n";
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/upgrade.yaml", helmJob)
        .write("apps/shop/test.yaml", helmTest);
    jobController(name -> "Complete");

    ReconcileResult result = settle(healthyWorkloads(), app(AUTO), "r1");

    assertThat(result.failed()).as(result.message()).isFalse();
    List<String> writes = writes();
    assertThat(indexOf(writes, "DELETE jobs/upgrade-db"))
        .as(writes.toString())
        .isLessThan(indexOf(writes, "POST deployments"));
    assertThat(writes).as("a Helm test hook is never applied").noneMatch(w -> w.contains("pods"));
  }

  @Test
  void aSkippedManifestIsNeverAppliedAndAnObjectThatBecomesSkippedIsNotPruned() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n%sdata:\n  k: v\n";
    String skip = "  annotations:\n    argocd.argoproj.io/hook: Skip\n";
    repo.write("apps/shop/legacy.yaml", cm.formatted("legacy", ""))
        .write("apps/shop/never.yaml", cm.formatted("never", skip));
    ApplicationReconciler r = healthyWorkloads();
    assertThat(settle(r, app(AUTO), "r1").failed()).isFalse();
    assertThat(client.configMaps().inNamespace(ns).withName("never").get()).isNull();

    repo.write("apps/shop/legacy.yaml", cm.formatted("legacy", skip));
    ReconcileResult result = settle(r, app(AUTO), "r2");

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(result.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(client.configMaps().inNamespace(ns).withName("legacy").get())
        .as("Skip is not a deletion: prune leaves it")
        .isNotNull();
  }

  @Test
  void aMisspeltHookFailsTheSyncNamingTheObjectAndAppliesNothing() throws Exception {
    repo.write("apps/shop/web.yaml", deployment("web:1"))
        .write("apps/shop/migrate.yaml", job("generateName: migrate-", "Presync", null));
    writes(); // the test's own namespace
    requests.clear();

    ReconcileResult result = healthyWorkloads().reconcile(app(AUTO), repo.root, "r1", true);

    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .contains(
            "argocd.argoproj.io/hook of Job migrate-* is 'Presync'; expected a comma-separated");
    assertThat(writes()).isEmpty();
  }

  static int indexOf(List<String> writes, String prefix) {
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
