package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.StaleWatchCacheMockTest.LaggingCache;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import dev.flotilla.simulator.api.ApiServerOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one commit costs in API requests once the agent remembers its own writes, proven with the
 * simulated API server's request log: a commit that changes an object is one PATCH and no read,
 * whether the watch has delivered the previous write or still lags behind this one; someone else's
 * write, a restarted agent or a pruned object fall back to reading the API server.
 */
class OwnWritesSimulatedTest extends ReconcilerTestBase {

  static SimulatedCluster cluster;
  static KubernetesClient client;

  final LaggingCache cache = new LaggingCache();
  AppSpec app;
  String name; // one per test: an Application owns its objects in every namespace

  @BeforeAll
  static void startCluster() {
    cluster =
        SimulatedCluster.start(
            "own-writes",
            SimulatedClusterOptions.defaults()
                .withoutControllers()
                .withApi(ApiServerOptions.defaults().withRequestsRecorded()));
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(cluster.url()).build())
            .build();
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  @Override
  String namespacePrefix() {
    return "ow-";
  }

  @BeforeEach
  void appWithAConfigMap() {
    repo.write("app/cm.yaml", configMap("cfg", "k", "v1"));
    name = "own-" + ns;
    app =
        AppSpec.parse(
            name,
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true}}}");
    reconciler.useLiveCache(cache);
    synced(sync("r1"));
  }

  @Test
  void aCommitChangingAnObjectIsOnePatchWhenTheWatchHasDeliveredTheLastWrite() {
    cache.catchUp(reconciler, name); // the watch delivered the create
    for (int commit = 2; commit <= 3; commit++) {
      repo.write("app/cm.yaml", configMap("cfg", "k", "v" + commit));
      cluster.drainRequests();

      ReconcileResult sync = sync("r" + commit);

      assertThat(sync.counts().patched()).as(sync.message()).isEqualTo(1);
      synced(sync);
      assertThat(configMapRequests()).containsExactly("PATCH " + cfgPath());
      cache.catchUp(reconciler, name); // ... and then the patch
    }
    assertThat(data()).isEqualTo("v3");
  }

  @Test
  void noReadAfterTheSyncWhileTheWatchLagsBehindIt() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    sync("r2");
    cluster.drainRequests();

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    synced(compared);
    assertThat(configMapRequests()).isEmpty();

    // Another commit while the watch still shows the version before r2: still one PATCH, guarded
    // by the resourceVersion r2's write returned, so it cannot clobber anything newer.
    repo.write("app/cm.yaml", configMap("cfg", "k", "v3"));
    ReconcileResult next = sync("r3");

    assertThat(next.counts().patched()).as(next.message()).isEqualTo(1);
    synced(next);
    assertThat(configMapRequests()).containsExactly("PATCH " + cfgPath());
    assertThat(data()).isEqualTo("v3");
  }

  @Test
  void theResourceTreeShowsWhatTheLastSyncWroteWhileTheWatchLagsBehindIt() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    synced(sync("r2")); // the watch still shows v1

    List<String> shown =
        reconciler.ownedObjects(name, true).stream()
            .map(o -> o.path("data").path("k").asText())
            .toList();

    assertThat(shown).as("the tree sent with the status").containsExactly("v2");

    kubectlPatch("edited");
    cache.catchUp(reconciler, name); // someone else's write, delivered: it is shown as it is
    assertThat(
            reconciler.ownedObjects(name, true).stream()
                .map(o -> o.path("data").path("k").asText())
                .toList())
        .containsExactly("edited");
  }

  @Test
  void someoneElsesEditIsSeenAndTheNextCommitReadsTheObjectFromTheApiServer() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    sync("r2");
    kubectlPatch("edited");
    cache.catchUp(reconciler, name); // the watch delivers the edit
    cluster.drainRequests();

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    // Drift on a version Git's last-applied record is on: seen in the cache, as before.
    assertThat(compared.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(configMapRequests()).isEmpty();

    repo.write("app/cm.yaml", configMap("cfg", "k", "v3"));
    ReconcileResult next = sync("r3");

    // A version our last write did not produce nor replace: read from the API server.
    synced(next);
    assertThat(configMapRequests()).containsExactly("GET " + cfgPath(), "PATCH " + cfgPath());
    assertThat(data()).isEqualTo("v3");
  }

  @Test
  void anEditTheWatchHasNotDeliveredYetMeetsTheGuardAndIsReadThen() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    sync("r2");
    cache.catchUp(reconciler, name); // our write delivered ...
    kubectlPatch("edited"); // ... this edit not yet
    cluster.drainRequests();

    repo.write("app/cm.yaml", configMap("cfg", "k", "v3"));
    ReconcileResult next = sync("r3");

    synced(next);
    // The patch is guarded by the version our write produced: 409, a fresh read, a patch again.
    assertThat(configMapRequests())
        .containsExactly("PATCH " + cfgPath(), "GET " + cfgPath(), "PATCH " + cfgPath());
    assertThat(data()).isEqualTo("v3");
  }

  @Test
  void aRestartedAgentRemembersNothingAndReads() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    sync("r2"); // the watch lags behind this write
    reconciler = new ApplicationReconciler(client); // restarted: nothing remembered
    reconciler.useLiveCache(cache);
    cluster.drainRequests();

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    synced(compared);
    assertThat(configMapRequests()).containsExactly("GET " + cfgPath());
  }

  @Test
  void aPrunedObjectAndARemovedApplicationAreForgotten() {
    repo.write("app/old.yaml", configMap("old", "k", "v"));
    sync("r2");
    cache.catchUp(reconciler, name);
    assertThat(reconciler.applier().ownWrites().size()).isEqualTo(2);
    repo.delete("app/old.yaml");

    ReconcileResult pruned = sync("r3");

    assertThat(pruned.counts().pruned()).as(pruned.syncResults().toString()).isEqualTo(1);
    assertThat(reconciler.applier().ownWrites().size()).isEqualTo(1);
    assertThat(reconciler.applier().ownWrites().current(key("old"), cached("old"))).isNull();

    reconciler.forget(name);

    assertThat(reconciler.applier().ownWrites().size()).isZero();
    assertThat(reconciler.applier().ownWrites().current(key("cfg"), cached("cfg"))).isNull();
  }

  @Test
  void anObjectSomeoneDeletedAfterOurPatchIsMissingOnceTheWatchSaysSo() {
    cache.catchUp(reconciler, name);
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    sync("r2");
    client.configMaps().inNamespace(ns).withName("cfg").delete();
    cache.catchUp(reconciler, name);

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    assertThat(compared.health()).isEqualTo(HealthState.MISSING);
  }

  @Test
  void withTheRealWatchASelfHealsWriteIsRememberedToo() throws Exception {
    repo.write("app/cm.yaml", configMap("cfg", "k", "v1"));
    app =
        AppSpec.parse(
            name,
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}");
    AtomicReference<String> revision = new AtomicReference<>("r1");
    ExecutorService queue = Executors.newSingleThreadExecutor();
    try (DriftWatcher watcher =
        new DriftWatcher(
                reconciler,
                d -> {},
                a ->
                    queue.execute(() -> reconciler.reconcile(app, repo.root, revision.get(), true)))
            .start()) {
      synced(sync("r1"));
      awaitWatchHas(watcher, "v1");
      repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
      revision.set("r2");
      cluster.drainRequests();

      synced(sync("r2"));

      assertThat(configMapRequests()).containsExactly("PATCH " + cfgPath());

      awaitWatchHas(watcher, "v2");
      kubectlPatch("edited"); // put back by the self-heal, through the same applier
      await().atMost(Duration.ofSeconds(30)).until(() -> "v2".equals(data()));
      awaitWatchHas(watcher, "v2");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> reconciler.applier().ownWrites().current(key("cfg"), watched(watcher)) != null);
      repo.write("app/cm.yaml", configMap("cfg", "k", "v3"));
      revision.set("r3");
      cluster.drainRequests();

      synced(sync("r3"));

      assertThat(configMapRequests()).containsExactly("PATCH " + cfgPath());
    } finally {
      queue.shutdownNow();
    }
  }

  private void awaitWatchHas(DriftWatcher watcher, String value) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                watched(watcher) != null
                    && value.equals(watched(watcher).path("data").path("k").asText())
                    && resourceVersion(watched(watcher)).equals(liveResourceVersion()));
  }

  private com.fasterxml.jackson.databind.node.ObjectNode watched(DriftWatcher watcher) {
    return watcher.get(key("cfg"));
  }

  private static String resourceVersion(com.fasterxml.jackson.databind.JsonNode obj) {
    return obj.path("metadata").path("resourceVersion").asText();
  }

  private String liveResourceVersion() {
    return client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private void kubectlPatch(String value) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"data\":{\"k\":\"" + value + "\"}}");
  }

  private ReconcileResult sync(String revision) {
    return reconciler.reconcile(app, repo.root, revision, true);
  }

  private static void synced(ReconcileResult r) {
    assertThat(r.failed()).as(r.message()).isFalse();
    assertThat(r.sync()).as(r.resources().toString()).isEqualTo(SyncState.SYNCED);
  }

  private List<String> configMapRequests() {
    return cluster.drainRequests().stream()
        .filter(r -> r.contains("/namespaces/" + ns + "/configmaps"))
        .map(r -> r.replaceFirst("\\?.*$", ""))
        .toList();
  }

  private String cfgPath() {
    return "/api/v1/namespaces/" + ns + "/configmaps/cfg";
  }

  private String data() {
    return client.configMaps().inNamespace(ns).withName("cfg").get().getData().get("k");
  }

  private com.fasterxml.jackson.databind.node.ObjectNode cached(String name) {
    return cache.get(key(name));
  }

  private ObjectKey key(String name) {
    return new ObjectKey("", "v1", "ConfigMap", ns, name);
  }
}
