package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.agent.reconcile.health.HealthState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ApplicationReconcilerMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  static final String PRUNE = "{\"automated\":{\"prune\":true}}";

  KubernetesClient client;

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  AppSpec app(String name, String path, String syncPolicy) {
    return AppSpec.parse(
        name,
        "default",
        "{\"source\":{\"repoURL\":\"https://git.example/infra.git\",\"path\":\""
            + path
            + "\"},\"destination\":{\"namespace\":\""
            + ns
            + "\"}"
            + (syncPolicy == null ? "" : ",\"syncPolicy\":" + syncPolicy)
            + "}");
  }

  ConfigMap cm(String name) {
    return client.configMaps().inNamespace(ns).withName(name).get();
  }

  ReconcileResult sync(AppSpec app) {
    return reconciler.reconcile(app, repo.root, "abc123", true);
  }

  /**
   * Reconciles again whenever the result asks to come back ("requeue after T"), as the agent's
   * queue does, until a result that does not; returns that one.
   */
  static ReconcileResult settle(ApplicationReconciler r, AppSpec app, Path root, String rev) {
    AtomicReference<ReconcileResult> last =
        new AtomicReference<>(r.reconcile(app, root, rev, true));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              if (last.get().requeueAfter().isEmpty()) {
                return true;
              }
              last.set(r.reconcile(app, root, rev, true));
              return false;
            });
    return last.get();
  }

  @Test
  void appliesMultiDocumentYamlAndJsonIntoTheDestinationNamespace() {
    repo.write("apps/a/two.yaml", configMap("one", "k", "1") + "---\n" + configMap("two", "k", "2"))
        .write(
            "apps/a/three.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"three\"},\"data\":{\"k\":\"3\"}}")
        .write("apps/a/README.md", "not a manifest");

    ReconcileResult result = sync(app("a", "apps/a", null));

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(result.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(result.health()).isEqualTo(HealthState.HEALTHY);
    assertThat(result.counts()).isEqualTo(new SyncCounts(3, 0, 0, 0));
    assertThat(result.resources())
        .extracting((ResourceLine l) -> l.key().name())
        .containsExactlyInAnyOrder("one", "two", "three");
    assertThat(cm("two").getData()).containsEntry("k", "2");
    assertThat(cm("three").getMetadata().getAnnotations())
        .containsEntry(Tracking.TRACKING_ID, "a:/ConfigMap:" + ns + "/three")
        .containsKey(Tracking.LAST_APPLIED);
    assertThat(cm("three").getMetadata().getLabels()).containsEntry(Tracking.APP_LABEL, "a");
  }

  @Test
  void reconcilingTwiceChangesNothingTheSecondTime() {
    repo.write("apps/a/cm.yaml", configMap("cfg", "greeting", "hello", "port", "8080"));
    AppSpec app = app("a", "apps/a", PRUNE);
    assertThat(sync(app).failed()).isFalse();
    String before = cm("cfg").getMetadata().getResourceVersion();

    ReconcileResult second = sync(app);

    assertThat(second.message()).contains("unchanged 1");
    assertThat(second.counts()).isEqualTo(new SyncCounts(0, 0, 1, 0));
    assertThat(second.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(cm("cfg").getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void threeWayMergeUpdatesOursRemovesDroppedFieldsAndKeepsOthers() {
    repo.write("apps/a/cm.yaml", configMap("cfg", "keep", "1", "change", "old", "drop", "x"));
    AppSpec app = app("a", "apps/a", PRUNE);
    sync(app);
    // Another tool adds a field we never set: the merge must leave it alone.
    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .edit(c -> new ConfigMapBuilder(c).addToData("theirs", "t").build());
    repo.write("apps/a/cm.yaml", configMap("cfg", "keep", "1", "change", "new"));

    ReconcileResult result = sync(app);

    assertThat(result.message()).contains("patched 1");
    assertThat(cm("cfg").getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("keep", "1", "change", "new", "theirs", "t"));
    assertThat(sync(app).message()).contains("unchanged 1");
  }

  @Test
  void compareOnlyReportsOutOfSyncAndWritesNothing() {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"));

    ReconcileResult result =
        reconciler.reconcile(app("a", "apps/a", null), repo.root, "abc", false);

    assertThat(result.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(result.health()).isEqualTo(HealthState.MISSING);
    assertThat(cm("cfg")).isNull();
  }

  @Test
  void prunesWhatGitNoLongerHasOnlyWithAutomatedPrune() {
    repo.write("apps/a/keep.yaml", configMap("keep")).write("apps/a/gone.yaml", configMap("gone"));
    sync(app("a", "apps/a", PRUNE));
    repo.delete("apps/a/gone.yaml");

    ReconcileResult withoutPrune = sync(app("a", "apps/a", "{\"automated\":{\"prune\":false}}"));
    assertThat(cm("gone")).as("prune disabled").isNotNull();
    assertThat(withoutPrune.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(withoutPrune.resources())
        .filteredOn(r -> r.key().name().equals("gone"))
        .extracting(ResourceLine::message)
        .containsExactly("requires pruning");

    ReconcileResult withPrune = sync(app("a", "apps/a", PRUNE));
    assertThat(withPrune.message()).contains("pruned 1");
    assertThat(withPrune.counts().pruned()).isEqualTo(1);
    assertThat(cm("gone")).isNull();
    assertThat(cm("keep")).isNotNull();
    assertThat(withPrune.sync()).isEqualTo(SyncState.SYNCED);
  }

  @Test
  void neverPrunesAnObjectAnnotatedPruneFalse() {
    repo.write(
        "apps/a/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: precious\n  annotations:\n"
            + "    argocd.argoproj.io/sync-options: Prune=false\n");
    repo.write("apps/a/other.yaml", configMap("other"));
    sync(app("a", "apps/a", PRUNE));
    repo.delete("apps/a/cm.yaml");

    ReconcileResult result = sync(app("a", "apps/a", PRUNE));

    assertThat(cm("precious")).isNotNull();
    assertThat(result.resources())
        .filteredOn(r -> r.key().name().equals("precious"))
        .extracting(ResourceLine::message)
        .containsExactly("ignored for pruning (Prune=false)");
  }

  @Test
  void anEmptyRenderPrunesNothingUnlessAllowEmpty() {
    repo.write("apps/a/cm.yaml", configMap("cfg"));
    sync(app("a", "apps/a", PRUNE));
    repo.delete("apps/a/cm.yaml");

    ReconcileResult refused = sync(app("a", "apps/a", PRUNE));
    assertThat(refused.failed()).isTrue();
    assertThat(refused.message()).contains("no objects").contains("allowEmpty");
    assertThat(cm("cfg")).isNotNull();

    ReconcileResult allowed =
        sync(app("a", "apps/a", "{\"automated\":{\"prune\":true,\"allowEmpty\":true}}"));
    assertThat(allowed.failed()).as(allowed.message()).isFalse();
    assertThat(cm("cfg")).isNull();
  }

  @Test
  void invalidYamlFailsNamingTheFileAndChangesNothing() {
    repo.write("apps/a/a.yaml", configMap("a", "k", "1")).write("apps/a/b.yaml", configMap("b"));
    AppSpec app = app("a", "apps/a", PRUNE);
    sync(app);
    String rv = cm("a").getMetadata().getResourceVersion();
    repo.delete("apps/a/b.yaml")
        .write("apps/a/a.yaml", configMap("a", "k", "2"))
        .write("apps/a/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n");

    ReconcileResult result = sync(app);

    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .contains("apps/a/broken.yaml")
        .contains("invalid YAML")
        .contains("line");
    assertThat(cm("b")).as("nothing pruned").isNotNull();
    assertThat(cm("a").getMetadata().getResourceVersion()).as("nothing applied").isEqualTo(rv);
  }

  @Test
  void refusesAnApplicationPathOutsideTheRepository() {
    ReconcileResult result = sync(app("a", "../../etc", PRUNE));

    assertThat(result.failed()).isTrue();
    assertThat(result.message()).contains("escapes the repository");
  }

  @Test
  void refusesASymlinkLeadingOutsideTheRepository() throws Exception {
    Path outside = java.nio.file.Files.createTempFile("outside-", ".yaml");
    java.nio.file.Files.writeString(outside, configMap("stolen"));
    repo.write("apps/a/cm.yaml", configMap("cfg")).symlink("apps/a/link.yaml", outside);

    ReconcileResult result = sync(app("a", "apps/a", PRUNE));

    assertThat(result.failed()).isTrue();
    assertThat(result.message()).contains("apps/a/link.yaml").contains("outside the repository");
    assertThat(cm("stolen")).isNull();
    assertThat(cm("cfg")).isNull();
    java.nio.file.Files.delete(outside);
  }

  @Test
  void refusesToTakeOverAnObjectAnotherApplicationOwns() {
    repo.write("apps/a/cm.yaml", configMap("shared", "owner", "a"));
    repo.write("apps/b/cm.yaml", configMap("shared", "owner", "b"));
    sync(app("a", "apps/a", PRUNE));

    ReconcileResult result = sync(app("b", "apps/b", PRUNE));

    assertThat(result.failed()).isTrue();
    assertThat(result.message()).contains("owned by application 'a', not 'b'");
    assertThat(result.counts()).isEqualTo(SyncCounts.NONE);
    assertThat(cm("shared").getData()).containsEntry("owner", "a");
    // And b's prune must not touch a's object either.
    assertThat(sync(app("a", "apps/a", PRUNE)).sync()).isEqualTo(SyncState.SYNCED);
  }

  @Test
  void adoptsAnUnownedObjectAsArgoDoes() {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("pre")
                .endMetadata()
                .addToData("k", "old")
                .build())
        .create();
    repo.write("apps/a/cm.yaml", configMap("pre", "k", "new"));

    ReconcileResult result = sync(app("a", "apps/a", PRUNE));

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(cm("pre").getData()).containsEntry("k", "new");
    assertThat(cm("pre").getMetadata().getAnnotations()).containsKey(Tracking.TRACKING_ID);
  }

  @Test
  void deleteOwnedResourcesHonoursDeleteFalse() {
    repo.write("apps/a/cm.yaml", configMap("plain"))
        .write(
            "apps/a/keep.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n"
                + "    argocd.argoproj.io/sync-options: Delete=false\n");
    sync(app("a", "apps/a", PRUNE));

    ReconcileResult result = reconciler.deleteOwnedResources("a");

    assertThat(result.failed()).isFalse();
    assertThat(result.message()).contains("deleted 1").contains("kept 1");
    assertThat(cm("plain")).isNull();
    assertThat(cm("kept")).isNotNull();
  }

  @Test
  void createsTheDestinationNamespaceWithCreateNamespaceTrue() {
    String fresh = ns + "-new";
    repo.write("apps/a/cm.yaml", configMap("cfg"));
    AppSpec app =
        AppSpec.parse(
            "a",
            "default",
            "{\"source\":{\"path\":\"apps/a\"},\"destination\":{\"namespace\":\""
                + fresh
                + "\"},"
                + "\"syncPolicy\":{\"syncOptions\":[\"CreateNamespace=true\"]}}");

    ReconcileResult result = sync(app);

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(client.namespaces().withName(fresh).get()).isNotNull();
    assertThat(client.configMaps().inNamespace(fresh).withName("cfg").get()).isNotNull();
  }

  @Test
  void appliesWavesInOrderAndStopsAtAnUnhealthyWave() {
    repo.write(
            "apps/a/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"-1\"\nspec:\n  replicas: 1\n  selector:\n"
                + "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
                + "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n")
        .write(
            "apps/a/late.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"5\"\n");
    ApplicationReconciler strict =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults()
                .withWaveTimeout(Duration.ofMillis(200), Duration.ofMillis(50)));

    ReconcileResult first = strict.reconcile(app("a", "apps/a", PRUNE), repo.root, "abc", true);

    // Waiting for a wave is a requeue: the reconcile returns at once and asks to come back.
    assertThat(first.failed()).as(first.message()).isFalse();
    assertThat(first.requeueAfter()).contains(Duration.ofMillis(50));
    assertThat(first.message())
        .startsWith("waiting for healthy state of apps/Deployment " + ns + "/web (wave -1)");
    assertThat(first.waves().planned()).containsExactly(-1, 5);
    assertThat(first.waves().applied()).containsExactly(-1);
    assertThat(first.waves().waitingFor()).isPresent();
    assertThat(cm("late")).as("later wave not applied while waiting").isNull();

    ReconcileResult result = settle(strict, app("a", "apps/a", PRUNE), repo.root, "abc");

    assertThat(result.failed()).isTrue();
    assertThat(result.requeueAfter()).isEmpty();
    assertThat(result.message())
        .contains("wave -1")
        .contains("apps/Deployment " + ns + "/web")
        .contains("Progressing");
    assertThat(cm("late")).as("later wave not applied").isNull();

    ApplicationReconciler demo =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    ReconcileResult ok = demo.reconcile(app("a", "apps/a", PRUNE), repo.root, "abc", true);
    assertThat(ok.failed()).as(ok.message()).isFalse();
    assertThat(ok.health()).isEqualTo(HealthState.HEALTHY);
    long deployRv =
        Long.parseLong(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getMetadata()
                .getResourceVersion());
    long lateRv = Long.parseLong(cm("late").getMetadata().getResourceVersion());
    assertThat(deployRv).as("wave -1 before wave 5").isLessThan(lateRv);
  }

  @Test
  void withinAWaveNamespacesAndConfigComeBeforeWorkloads() {
    repo.write(
        "apps/a/all.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
            + "---\n"
            + configMap("cfg")
            + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n");
    ApplicationReconciler demo =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));

    demo.reconcile(app("a", "apps/a", PRUNE), repo.root, "abc", true);

    long sa =
        Long.parseLong(
            client
                .serviceAccounts()
                .inNamespace(ns)
                .withName("sa")
                .get()
                .getMetadata()
                .getResourceVersion());
    long cfg = Long.parseLong(cm("cfg").getMetadata().getResourceVersion());
    long web =
        Long.parseLong(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getMetadata()
                .getResourceVersion());
    assertThat(List.of(sa, cfg, web)).isSorted();
  }

  @Test
  void aDeploymentWithoutStatusIsProgressingAsInArgoCd() {
    repo.write(
        "apps/a/d.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n");

    ReconcileResult result = sync(app("a", "apps/a", PRUNE));

    assertThat(result.failed()).isFalse();
    assertThat(result.health()).isEqualTo(HealthState.PROGRESSING);
    assertThat(result.healthMessage())
        .contains("observed deployment generation less than desired generation");
  }

  @Test
  void retriesAFailedSyncPerTheRetryPolicy() {
    repo.write("apps/a/cm.yaml", configMap("shared"));
    repo.write("apps/b/cm.yaml", configMap("shared"));
    sync(app("a", "apps/a", PRUNE));

    AppSpec b =
        app(
            "b",
            "apps/b",
            "{\"automated\":{\"prune\":true},\"retry\":{\"limit\":2,\"backoff\":{\"duration\":\"10ms\",\"factor\":2,\"maxDuration\":\"50ms\"}}}");

    // Each retry is a requeue after the backoff, never a sleep in the reconcile.
    ReconcileResult first = sync(b);
    assertThat(first.failed()).isTrue();
    assertThat(first.requeueAfter()).contains(Duration.ofMillis(10));
    assertThat(first.message()).startsWith("retrying (attempt 1 of 2) in 10ms: ");
    assertThat(sync(b).requeueAfter()).contains(Duration.ofMillis(20));

    ReconcileResult result = sync(b);

    assertThat(result.failed()).isTrue();
    assertThat(result.message()).endsWith("(retried 2 times)");
    assertThat(result.requeueAfter()).as("limit spent").isEmpty();
    // The next trigger (a resync) starts a new round, as before.
    assertThat(settle(reconciler, b, repo.root, "abc123").message()).endsWith("(retried 2 times)");
  }

  static final String RETRY_FOREVER =
      "{\"automated\":{\"prune\":true},\"retry\":{\"limit\":-1,\"backoff\":{\"duration\":\"10ms\",\"factor\":2,\"maxDuration\":\"50ms\"}}}";

  @Test
  void retryWithoutLimitKeepsComingBackWithTheBackoffCappedAtMaxDuration() {
    repo.write("apps/a/cm.yaml", configMap("shared"));
    repo.write("apps/b/cm.yaml", configMap("shared"));
    sync(app("a", "apps/a", PRUNE));
    AppSpec b = app("b", "apps/b", RETRY_FOREVER);

    List<Duration> backoffs = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ReconcileResult r = sync(b);
      assertThat(r.failed()).isTrue();
      backoffs.add(r.requeueAfter().orElseThrow());
    }

    assertThat(backoffs)
        .containsExactly(
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(50),
            Duration.ofMillis(50),
            Duration.ofMillis(50));
  }

  @Test
  void aNewCommitSupersedesAFailingOneAndItsRetriesCountAfresh() {
    repo.write("apps/a/cm.yaml", configMap("shared"));
    repo.write("apps/b/cm.yaml", configMap("shared"));
    sync(app("a", "apps/a", PRUNE));
    AppSpec b = app("b", "apps/b", RETRY_FOREVER);
    reconciler.reconcile(b, repo.root, "r1", true);
    assertThat(reconciler.reconcile(b, repo.root, "r1", true).message()).contains("attempt 2,");

    // The next attempt renders what is newest, here a commit that fixes the conflict.
    repo.write("apps/b/cm.yaml", configMap("own"));
    ReconcileResult fixed = reconciler.reconcile(b, repo.root, "r2", true);
    assertThat(fixed.failed()).as(fixed.message()).isFalse();
    assertThat(fixed.requeueAfter()).isEmpty();
    assertThat(cm("own")).isNotNull();

    repo.write("apps/b/cm.yaml", configMap("shared"));
    ReconcileResult again = reconciler.reconcile(b, repo.root, "r3", true);
    assertThat(again.message()).startsWith("retrying (attempt 1, no limit) in 10ms");
  }

  @Test
  void replaceTrueReplacesTheWholeObject() {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "1"));
    AppSpec app =
        app("a", "apps/a", "{\"automated\":{\"prune\":true},\"syncOptions\":[\"Replace=true\"]}");
    sync(app);
    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .edit(c -> new ConfigMapBuilder(c).addToData("theirs", "t").build());
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "2"));

    ReconcileResult result = sync(app);

    assertThat(result.failed()).as(result.message()).isFalse();
    // A replace writes exactly the desired object: fields set by others are gone.
    assertThat(cm("cfg").getData()).containsExactlyEntriesOf(Map.of("k", "2"));
  }

  @Test
  void clusterScopedObjectsLoseTheDestinationNamespaceAndArePrunedToo() {
    String role = ns + "-reader";
    repo.write(
        "apps/a/role.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "
            + role
            + "\n  namespace: ignored\nrules: []\n");
    repo.write("apps/a/cm.yaml", configMap("cfg"));

    ReconcileResult result = sync(app("a", "apps/a", PRUNE));

    assertThat(result.failed()).as(result.message()).isFalse();
    var live = client.rbac().clusterRoles().withName(role).get();
    assertThat(live.getMetadata().getNamespace()).isNull();
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry(Tracking.TRACKING_ID, "a:rbac.authorization.k8s.io/ClusterRole:/" + role);
    assertThat(sync(app("a", "apps/a", PRUNE)).message()).contains("unchanged 2");

    repo.delete("apps/a/role.yaml");
    assertThat(sync(app("a", "apps/a", PRUNE)).message()).contains("pruned 1");
    assertThat(client.rbac().clusterRoles().withName(role).get()).isNull();
  }

  @Test
  void appliesAndPrunesCustomResources() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("widgets.example.com")
                .endMetadata()
                .withNewSpec()
                .withGroup("example.com")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Widget")
                .withPlural("widgets")
                .withSingular("widget")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build())
        .createOr(c -> c.update());
    repo.write(
        "apps/a/w.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n");
    repo.write("apps/a/cm.yaml", configMap("cfg"));

    ReconcileResult first = sync(app("a", "apps/a", PRUNE));
    assertThat(first.failed()).as(first.message()).isFalse();
    var widgets = client.genericKubernetesResources("example.com/v1", "Widget").inNamespace(ns);
    assertThat(widgets.withName("w1").get().getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("size", 3));
    assertThat(sync(app("a", "apps/a", PRUNE)).message()).contains("unchanged 2");

    repo.delete("apps/a/w.yaml");
    assertThat(sync(app("a", "apps/a", PRUNE)).message()).contains("pruned 1");
    assertThat(widgets.withName("w1").get()).isNull();
  }

  @Test
  void pruneLastPrunesOnlyOnceEverythingIsHealthy() {
    repo.write("apps/a/d.yaml", ReconcileBenchmark.deployment("web", 1))
        .write("apps/a/old.yaml", configMap("old"));
    AppSpec app =
        app("a", "apps/a", "{\"automated\":{\"prune\":true},\"syncOptions\":[\"PruneLast=true\"]}");
    ApplicationReconciler strict =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults()
                .withWaveTimeout(Duration.ofMillis(200), Duration.ofMillis(50)));
    strict.reconcile(app, repo.root, "r1", true);
    repo.delete("apps/a/old.yaml");

    ReconcileResult waiting = strict.reconcile(app, repo.root, "r2", true);
    assertThat(waiting.inProgress()).as(waiting.message()).isTrue();
    assertThat(waiting.message())
        .startsWith("waiting for healthy state of")
        .contains("(before pruning, PruneLast)");
    assertThat(cm("old")).isNotNull();
    ReconcileResult blocked = settle(strict, app, repo.root, "r2");
    assertThat(blocked.failed()).isTrue();
    assertThat(blocked.message()).contains("PruneLast").contains("did not become healthy");
    assertThat(cm("old")).isNotNull();

    ApplicationReconciler demo =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    assertThat(demo.reconcile(app, repo.root, "r2", true).message()).contains("pruned 1");
    assertThat(cm("old")).isNull();
  }

  @Test
  void aRestartedAgentStillPrunesAndDeletesWhatItOwns() {
    repo.write("apps/a/keep.yaml", configMap("keep")).write("apps/a/gone.yaml", configMap("gone"));
    sync(app("a", "apps/a", PRUNE));
    repo.delete("apps/a/gone.yaml");

    ApplicationReconciler afterRestart = new ApplicationReconciler(client);
    assertThat(afterRestart.reconcile(app("a", "apps/a", PRUNE), repo.root, "r2", true).message())
        .contains("pruned 1");
    assertThat(cm("gone")).isNull();

    assertThat(new ApplicationReconciler(client).deleteOwnedResources("a").message())
        .contains("deleted 1");
    assertThat(cm("keep")).isNull();
  }

  @Test
  void withTheWatchCacheTheSecondReconcileSendsNoWrite() {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"))
        .write("apps/a/d.yaml", ReconcileBenchmark.deployment("web", 2));
    AppSpec app = app("a", "apps/a", "{\"automated\":{\"prune\":true,\"selfHeal\":true}}");
    try (var watcher =
        new dev.flotilla.agent.reconcile.drift.DriftWatcher(reconciler, d -> {}, a -> {}).start()) {
      sync(app);
      String cmRv = cm("cfg").getMetadata().getResourceVersion();
      String deployRv =
          client
              .apps()
              .deployments()
              .inNamespace(ns)
              .withName("web")
              .get()
              .getMetadata()
              .getResourceVersion();

      org.awaitility.Awaitility.await()
          .untilAsserted(() -> assertThat(sync(app).message()).contains("unchanged 2"));

      assertThat(cm("cfg").getMetadata().getResourceVersion()).isEqualTo(cmRv);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName("web")
                  .get()
                  .getMetadata()
                  .getResourceVersion())
          .isEqualTo(deployRv);
    }
  }
}
