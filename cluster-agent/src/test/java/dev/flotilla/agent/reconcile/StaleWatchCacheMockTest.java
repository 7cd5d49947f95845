package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.HealthState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch cache lags behind the agent's own writes (a busy API server or agent delivers the
 * create event late): a reconcile right after the sync that created the objects must still see
 * them, not report them Missing ("object does not exist") until something reconciles again.
 */
@EnableKubernetesMockClient(crud = true)
class StaleWatchCacheMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  /**
   * A synced watch cache whose events stopped arriving: it holds what it was last given (nothing at
   * first), whatever the agent writes since.
   */
  static final class LaggingCache implements LiveObjectCache {
    final Map<ObjectKey, ObjectNode> objects = new ConcurrentHashMap<>();

    @Override
    public boolean caches(ObjectType type) {
      return true;
    }

    @Override
    public ObjectNode get(ObjectKey key) {
      ObjectNode obj = objects.get(key);
      return obj == null ? null : obj.deepCopy();
    }

    @Override
    public List<ObjectNode> listByApp(ObjectType type, String appLabelValue) {
      return objects.entrySet().stream()
          .filter(e -> e.getKey().type().equals(type))
          .map(e -> e.getValue().deepCopy())
          .filter(
              o ->
                  appLabelValue.equals(
                      o.path("metadata").path("labels").path(Tracking.APP_LABEL).asText()))
          .toList();
    }

    /** The watch catches up with everything live now. */
    void catchUp(ApplicationReconciler reconciler, String application) {
      objects.clear();
      reconciler.ownedObjects(application, false).forEach(o -> objects.put(ObjectKey.of(o), o));
    }
  }

  final LaggingCache cache = new LaggingCache();
  AppSpec app;

  @BeforeEach
  void appWithAConfigMap() {
    repo.write("app/cm.yaml", configMap("cfg", "k", "v"));
    app =
        AppSpec.parse(
            "lagging",
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true}}}");
    reconciler.useLiveCache(cache);
  }

  @Test
  void aComparisonRightAfterTheSyncSeesWhatTheSyncCreated() {
    ReconcileResult sync = reconciler.reconcile(app, repo.root, "r1", true);
    assertThat(sync.failed()).as(sync.message()).isFalse();
    assertThat(sync.counts().created()).isEqualTo(1);

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r1", false);

    assertThat(compared.sync()).as(compared.resources().toString()).isEqualTo(SyncState.SYNCED);
    assertThat(compared.health()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void aSecondSyncOnAStaleCacheWritesNothingAndReportsSynced() {
    reconciler.reconcile(app, repo.root, "r1", true);

    ReconcileResult again = reconciler.reconcile(app, repo.root, "r1", true);

    assertThat(again.failed()).as(again.message()).isFalse();
    assertThat(again.counts().created()).isZero();
    assertThat(again.sync()).isEqualTo(SyncState.SYNCED);
  }

  @Test
  void anObjectThatReallyIsGoneIsStillReportedMissing() {
    reconciler.reconcile(app, repo.root, "r1", true);
    client.configMaps().inNamespace(ns).withName("cfg").delete();

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r1", false);

    assertThat(compared.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(compared.health()).isEqualTo(HealthState.MISSING);
    assertThat(compared.healthMessage()).contains("cfg");
  }

  @Test
  void aComparisonRightAfterASyncThatPatchedSeesThePatch() {
    reconciler.reconcile(app, repo.root, "r1", true);
    cache.catchUp(reconciler, "lagging");
    repo.write("app/cm.yaml", configMap("cfg", "k", "v2"));
    ReconcileResult sync = reconciler.reconcile(app, repo.root, "r2", true);
    assertThat(sync.counts().patched()).as(sync.message()).isEqualTo(1);

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    assertThat(compared.sync()).as(compared.resources().toString()).isEqualTo(SyncState.SYNCED);
  }

  @Test
  void aComparisonRightAfterASyncThatPrunedDoesNotAskToPruneAgain() {
    repo.write("app/old.yaml", configMap("old", "k", "v"));
    reconciler.reconcile(app, repo.root, "r1", true);
    cache.catchUp(reconciler, "lagging");
    repo.delete("app/old.yaml");
    ReconcileResult sync = reconciler.reconcile(app, repo.root, "r2", true);
    assertThat(sync.counts().pruned()).as(sync.message()).isEqualTo(1);

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r2", false);

    assertThat(compared.sync()).as(compared.resources().toString()).isEqualTo(SyncState.SYNCED);
    assertThat(compared.resources()).extracting(ResourceLine::key).doesNotContain(key("old"));
  }

  @Test
  void anObjectDriftedSinceTheCacheSawItIsStillOutOfSync() {
    reconciler.reconcile(app, repo.root, "r1", true);
    cache.catchUp(reconciler, "lagging");
    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .edit(
            cm -> {
              cm.getData().put("k", "edited");
              return cm;
            });
    cache.catchUp(reconciler, "lagging");

    ReconcileResult compared = reconciler.reconcile(app, repo.root, "r1", false);

    assertThat(compared.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(compared.health()).isEqualTo(HealthState.HEALTHY);
  }

  ObjectKey key(String name) {
    return new ObjectKey("", "v1", "ConfigMap", ns, name);
  }
}
