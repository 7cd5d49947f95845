package dev.flotilla.agent.reconcile.drift;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DriftWatcherMockTest {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;
  ApplicationReconciler reconciler;
  DriftWatcher watcher;
  final List<Drift> drifts = new CopyOnWriteArrayList<>();
  final TestCheckout repo = new TestCheckout();
  String ns;

  /** Stands in for the agent's reconcile queue: one reconcile at a time, of the last deployed. */
  final ExecutorService queue = Executors.newSingleThreadExecutor();

  final List<String> reconcileRequests = new CopyOnWriteArrayList<>();
  volatile AppSpec deployed;

  /** What a reconcile request does; tests that check the request alone turn it off. */
  volatile boolean reconcileOnRequest = true;

  @BeforeEach
  void setUp() {
    reconciler = new ApplicationReconciler(client);
    watcher =
        new DriftWatcher(
                reconciler,
                drifts::add,
                application -> {
                  reconcileRequests.add(application);
                  if (reconcileOnRequest) {
                    // As the agent's queue: the sync policy says whether to apply.
                    queue.execute(
                        () ->
                            reconciler.reconcile(
                                deployed, repo.root, "rev1", deployed.syncPolicy().selfHeal()));
                  }
                })
            .start();
    ns = "d-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  @AfterEach
  void tearDown() {
    queue.shutdownNow();
    watcher.close();
    repo.close();
  }

  AppSpec app(String policy, String ignoreDifferences) {
    return AppSpec.parse(
        "web",
        "default",
        "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
            + ns
            + "\"},\"syncPolicy\":"
            + policy
            + (ignoreDifferences == null ? "" : ",\"ignoreDifferences\":" + ignoreDifferences)
            + "}");
  }

  void deploy(AppSpec app) {
    deployed = app;
    ReconcileResult r = reconciler.reconcile(app, repo.root, "rev1", true);
    assertThat(r.failed()).as(r.message()).isFalse();
  }

  /** Each occurrence as its newest report says (it is reported when it opens and closes). */
  List<Drift> occurrences() {
    Map<String, Drift> out = new java.util.LinkedHashMap<>();
    drifts.forEach(d -> out.put(d.object() + "@" + d.detectedAt(), d));
    return List.copyOf(out.values());
  }

  ConfigMap cm(String name) {
    return client.configMaps().inNamespace(ns).withName(name).get();
  }

  void editData(String name, String key, String value) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .edit(c -> new ConfigMapBuilder(c).addToData(key, value).build());
  }

  @Test
  void selfHealRevertsAManualEditAndReportsIt() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));

    editData("cfg", "greeting", "hacked");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(cm("cfg").getData()).containsEntry("greeting", "hello"));
    await().untilAsserted(() -> assertThat(occurrences()).singleElement().matches(Drift::healed));
    Drift d = occurrences().get(0);
    assertThat(d.healedBy()).contains(HealedBy.SELF_HEAL);
    assertThat(d.application()).isEqualTo("web");
    assertThat(d.object().name()).isEqualTo("cfg");
    assertThat(d.fields())
        .containsExactly(new FieldDiff("/data/greeting", "\"hello\"", "\"hacked\""));
    assertThat(d.healedAt()).isPresent();
    assertThat(d.healedAt().get()).isAfterOrEqualTo(d.detectedAt());
    assertThat(d.toProto().getHealedAtUnixMs()).isPositive();
  }

  @Test
  void withoutSelfHealTheEditStaysAndIsReported() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    AppSpec app = app("{\"automated\":{\"prune\":true}}", null);
    deploy(app);

    editData("cfg", "greeting", "hacked");

    await().untilAsserted(() -> assertThat(drifts).hasSize(1));
    assertThat(drifts.get(0).healed()).isFalse();
    assertThat(cm("cfg").getData()).containsEntry("greeting", "hacked");
    assertThat(reconciler.reconcile(app, repo.root, "rev1", false).sync())
        .isEqualTo(dev.flotilla.agent.reconcile.SyncState.OUT_OF_SYNC);
  }

  @Test
  void selfHealRecreatesADeletedObject() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));

    client.configMaps().inNamespace(ns).withName("cfg").delete();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cm("cfg")).isNotNull());
    await()
        .untilAsserted(() -> assertThat(drifts).anySatisfy(d -> assertThat(d.deleted()).isTrue()));
    assertThat(cm("cfg").getData()).containsEntry("greeting", "hello");
  }

  static final String IGNORE_REPLICAS =
      "[{\"kind\":\"ConfigMap\",\"name\":\"cfg\",\"jsonPointers\":[\"/data/replicas\"]}]";

  @Test
  void fieldsSetByOthersAndIgnoredDifferencesAreNotDrift() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello", "replicas", "1"));
    deploy(app("{\"automated\":{\"selfHeal\":true}}", IGNORE_REPLICAS));

    editData("cfg", "theirs", "x"); // a field we never set
    editData("cfg", "replicas", "7"); // ignored by ignoreDifferences
    editData("cfg", "greeting", "hacked"); // real drift, observed after the two above

    await().untilAsserted(() -> assertThat(occurrences()).hasSize(1));
    assertThat(occurrences().get(0).fields())
        .extracting(FieldDiff::path)
        .containsExactly("/data/greeting");
    // As in Argo CD, healing applies the whole desired object: the ignored field is reset too...
    await().untilAsserted(() -> assertThat(cm("cfg").getData()).containsEntry("greeting", "hello"));
    assertThat(cm("cfg").getData()).containsEntry("replicas", "1").containsEntry("theirs", "x");
  }

  @Test
  void respectIgnoreDifferencesLeavesIgnoredFieldsAloneWhenHealing() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello", "replicas", "1"));
    deploy(
        app(
            "{\"automated\":{\"selfHeal\":true},\"syncOptions\":[\"RespectIgnoreDifferences=true\"]}",
            IGNORE_REPLICAS));

    editData("cfg", "replicas", "7");
    editData("cfg", "greeting", "hacked");

    await().untilAsserted(() -> assertThat(occurrences()).hasSize(1));
    // ...unless RespectIgnoreDifferences=true, which is how an HPA-managed replica count survives.
    await().untilAsserted(() -> assertThat(cm("cfg").getData()).containsEntry("greeting", "hello"));
    assertThat(cm("cfg").getData()).containsEntry("replicas", "7");
  }

  @Test
  void secretValuesAreMaskedInDrift() {
    repo.write(
        "app/s.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: c2VjcmV0\n");
    deploy(app("{\"automated\":{\"selfHeal\":true}}", null));
    assertThat(
            client
                .secrets()
                .inNamespace(ns)
                .withName("creds")
                .get()
                .getMetadata()
                .getAnnotations()
                .get("flotilla.dev/last-applied"))
        .as("last-applied keeps no plaintext")
        .doesNotContain("c2VjcmV0");

    client
        .secrets()
        .inNamespace(ns)
        .withName("creds")
        .edit(s -> new SecretBuilder(s).addToData("password", "aGFja2Vk").build());

    await().untilAsserted(() -> assertThat(occurrences()).hasSize(1));
    assertThat(occurrences().get(0).fields())
        .containsExactly(new FieldDiff("/data/password", "\"++++++++\"", "\"++++++++\""));
    await()
        .untilAsserted(
            () ->
                assertThat(client.secrets().inNamespace(ns).withName("creds").get().getData())
                    .containsEntry("password", "c2VjcmV0"));
  }

  @Test
  void anObjectOfAnotherKindIsWatchedOnceRendered() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"))
        .write(
            "app/sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bot\n  labels:\n    team: a\n");
    deploy(app("{\"automated\":{\"selfHeal\":true}}", null));

    client
        .serviceAccounts()
        .inNamespace(ns)
        .withName("bot")
        .edit(
            s -> {
              s.getMetadata().getLabels().put("team", "b");
              return s;
            });

    await()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .serviceAccounts()
                            .inNamespace(ns)
                            .withName("bot")
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("team", "a"));
    assertThat(watcher.watchedTypes())
        .extracting(t -> t.kind())
        .contains("ConfigMap", "ServiceAccount");
  }

  @Test
  void aDriftedObjectIsHealedAloneWithoutAReconcileOfItsApplication() {
    reconcileOnRequest = false;
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));

    editData("cfg", "greeting", "hacked");

    // Applied from the current desired state and drifted since: put back alone, at once.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(cm("cfg").getData()).containsEntry("greeting", "hello"));
    await().untilAsserted(() -> assertThat(occurrences()).hasSize(1));
    assertThat(occurrences().get(0).healedAt()).isPresent();
    assertThat(reconcileRequests).isEmpty();
  }

  /** Publishes a newer desired state (greeting: hello2) without applying it: a pending sync. */
  void commitWithoutSyncing(String... extraFiles) {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello2"));
    for (int i = 0; i < extraFiles.length; i += 2) {
      repo.write(extraFiles[i], extraFiles[i + 1]);
    }
    reconciler.reconcile(deployed, repo.root, "rev2", false);
  }

  @Test
  void anObjectStillToBeSyncedIsLeftToAReconcileOfTheWholeApplication() {
    reconcileOnRequest = false;
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));
    commitWithoutSyncing();

    editData("cfg", "greeting", "hacked");

    await().untilAsserted(() -> assertThat(reconcileRequests).contains("web"));
    // Waves and hooks are the sync's business: nothing is written on the side.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(cm("cfg").getData()).containsEntry("greeting", "hacked"));
    assertThat(occurrences()).as("reported open at once").singleElement().matches(d -> !d.healed());

    reconciler.reconcile(deployed, repo.root, "rev2", true);

    // The sync of the newer commit put it right: the one occurrence closes, by that sync.
    assertThat(cm("cfg").getData()).containsEntry("greeting", "hello2");
    await().untilAsserted(() -> assertThat(occurrences()).singleElement().matches(Drift::healed));
    assertThat(occurrences().get(0).fields())
        .anySatisfy(
            f -> assertThat(f.path() + " " + f.desired()).isEqualTo("/data/greeting \"hello2\""));
  }

  @Test
  void selfHealOfAnObjectWithReplaceTrueReplacesIt() {
    repo.write(
        "app/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  annotations:\n"
            + "    argocd.argoproj.io/sync-options: Replace=true\ndata:\n  greeting: hello\n");
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));
    String uid = cm("cfg").getMetadata().getUid();

    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .edit(
            c ->
                new ConfigMapBuilder(c)
                    .addToData("greeting", "hacked")
                    .addToData("theirs", "x")
                    .build());

    // A patch would put greeting back and keep theirs; Replace=true writes exactly Git's object.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cm("cfg").getData())
                    .containsExactlyEntriesOf(Map.of("greeting", "hello")));
    assertThat(cm("cfg").getMetadata().getUid())
        .as("replaced in place, not recreated")
        .isEqualTo(uid);
    await().untilAsserted(() -> assertThat(occurrences()).singleElement().matches(Drift::healed));
  }

  @Test
  void aHealThatFailsIsReportedNotHealed() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));
    // The heal's sync fails: another application has taken an object this one renders.
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("taken")
                .addToLabels(
                    dev.flotilla.agent.reconcile.apply.Tracking.MANAGED_BY_LABEL,
                    dev.flotilla.agent.reconcile.apply.Tracking.MANAGED_BY_VALUE)
                .addToAnnotations(
                    dev.flotilla.agent.reconcile.apply.Tracking.TRACKING_ID,
                    "other:/ConfigMap:" + ns + "/taken")
                .endMetadata()
                .build())
        .create();
    // The sync reads live objects from the watch cache: let it see the taken object first.
    await()
        .until(
            () ->
                watcher.get(
                        new dev.flotilla.agent.reconcile.apply.ObjectKey(
                            "", "v1", "ConfigMap", ns, "taken"))
                    != null);
    commitWithoutSyncing("app/other.yaml", configMap("taken", "k", "v"));

    editData("cfg", "greeting", "hacked");

    await()
        .untilAsserted(
            () ->
                assertThat(occurrences())
                    .filteredOn(d -> d.object().name().equals("cfg"))
                    .hasSize(1));
    Drift cfg =
        occurrences().stream().filter(d -> d.object().name().equals("cfg")).findFirst().get();
    assertThat(cfg.healed()).isFalse();
    assertThat(cfg.toProto().getHealedAtUnixMs()).isZero();
    // The object the sync could not take is out of sync too, and listed as such: not as drift.
    assertThat(occurrences())
        .filteredOn(d -> d.object().name().equals("taken"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DriftKind.PENDING_SYNC);
              assertThat(d.change()).contains("owned by application 'other'");
            });
  }

  @Test
  void aHealWhoseReconcileNeverRanIsReportedNotHealed() {
    reconcileOnRequest = false;
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}", null));
    commitWithoutSyncing();
    editData("cfg", "greeting", "hacked");
    await().untilAsserted(() -> assertThat(reconcileRequests).contains("web"));

    // e.g. Git was unreachable, so the agent never got as far as the reconciler: still open.
    watcher.reconcileAbandoned("web");

    assertThat(occurrences()).hasSize(1);
    assertThat(occurrences().get(0).healed()).isFalse();
    // The first sighting: the edit, or the deploy's own write seen after the newer commit.
    assertThat(occurrences().get(0).fields())
        .anySatisfy(
            f -> assertThat(f.path() + " " + f.desired()).isEqualTo("/data/greeting \"hello2\""));
  }
}
