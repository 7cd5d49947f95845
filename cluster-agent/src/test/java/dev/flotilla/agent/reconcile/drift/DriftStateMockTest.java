package dev.flotilla.agent.reconcile.drift;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.agent.reconcile.ResourceLine;
import dev.flotilla.agent.reconcile.SyncState;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift is a state: an entry per occurrence, opened when an object is first seen different and
 * closed when it is equal again, whoever made it so; status writes never count.
 */
@EnableKubernetesMockClient(crud = true)
class DriftStateMockTest {

  static {
    QuietMockServer.quiet();
  }

  static final String NO_AUTOMATION = "{}";
  static final String AUTOMATED = "{\"automated\":{\"prune\":true}}";
  static final String SELF_HEAL = "{\"automated\":{\"prune\":true,\"selfHeal\":true}}";

  KubernetesClient client;
  ApplicationReconciler reconciler;
  DriftWatcher watcher;
  final List<Drift> reports = new CopyOnWriteArrayList<>();
  final TestCheckout repo = new TestCheckout();
  final ExecutorService queue = Executors.newSingleThreadExecutor();
  volatile AppSpec deployed;
  volatile String revision = "rev1";
  volatile boolean reconcileOnRequest = true;
  final List<String> requests = new CopyOnWriteArrayList<>();
  String ns;

  @BeforeEach
  void setUp() {
    reconciler =
        new ApplicationReconciler(
            client,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    watcher =
        new DriftWatcher(
                reconciler,
                reports::add,
                application -> {
                  requests.add(application);
                  if (reconcileOnRequest) {
                    // As the agent's queue: the sync policy says whether to apply.
                    queue.execute(
                        () ->
                            reconciler.reconcile(
                                deployed, repo.root, revision, deployed.syncPolicy().selfHeal()));
                  }
                })
            .start();
    ns = "s-" + UUID.randomUUID().toString().substring(0, 8);
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

  AppSpec app(String policy) {
    return AppSpec.parse(
        "web",
        "default",
        "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
            + ns
            + "\"},\"syncPolicy\":"
            + policy
            + "}");
  }

  /** Through the same queue as the watcher's requests: one reconcile of the app at a time. */
  ReconcileResult reconcile(boolean apply) {
    try {
      return queue
          .submit(() -> reconciler.reconcile(deployed, repo.root, revision, apply))
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void deploy(AppSpec app) {
    deployed = app;
    ReconcileResult r = reconcile(true);
    assertThat(r.failed()).as(r.message()).isFalse();
  }

  static String deployment(String image) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 1\n"
        + "  selector:\n    matchLabels: {app: shop}\n  template:\n    metadata:\n"
        + "      labels: {app: shop}\n    spec:\n      containers:\n      - name: shop\n"
        + "        image: "
        + image
        + "\n";
  }

  void setImage(String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("shop")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  Deployment shop() {
    return client.apps().deployments().inNamespace(ns).withName("shop").get();
  }

  /** As the Deployment controller does after every change of the spec: a write of status only. */
  /** As a controller does: a write that meets a newer resourceVersion (409) is tried again. */
  void writeStatus(int generation) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeStatusOnce(generation);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private void writeStatusOnce(int generation) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("shop")
        .edit(
            d -> {
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration((long) generation)
                      .withReplicas(1)
                      .withReadyReplicas(1)
                      .withUpdatedReplicas(1)
                      .withAvailableReplicas(1)
                      .build());
              return d;
            });
  }

  void editData(String name, String key, String value) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .edit(c -> new ConfigMapBuilder(c).addToData(key, value).build());
  }

  /** Every occurrence reported, by (object name, first seen), as its newest report says. */
  Map<String, Drift> occurrences() {
    Map<String, Drift> out = new LinkedHashMap<>();
    for (Drift d : reports) {
      out.put(d.object().name() + "@" + d.detectedAt(), d);
    }
    return out;
  }

  List<Drift> occurrencesOf(String name) {
    return occurrences().values().stream().filter(d -> d.object().name().equals(name)).toList();
  }

  Set<ObjectKey> outOfSync(ReconcileResult r) {
    return r.resources().stream()
        .filter(l -> l.sync() == SyncState.OUT_OF_SYNC)
        .map(ResourceLine::key)
        .collect(Collectors.toSet());
  }

  Set<ObjectKey> open() {
    return watcher.openDrift().stream().map(Drift::object).collect(Collectors.toSet());
  }

  @Test
  void fiveEditsRevertedByHandAreFiveOccurrencesWithTheirRealTimesWhileStatusIsWritten()
      throws Exception {
    repo.write("app/deploy.yaml", deployment("shop:1.0"));
    deploy(app(NO_AUTOMATION));
    // A controller of its own: it writes status after every change it is told about.
    BlockingQueue<Integer> statusWrites = new LinkedBlockingQueue<>();
    AtomicInteger written = new AtomicInteger();
    Thread controller =
        new Thread(
            () -> {
              try {
                while (true) {
                  writeStatus(statusWrites.take());
                  written.incrementAndGet();
                }
              } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
              }
            });
    controller.start();
    List<Instant[]> windows = new ArrayList<>();
    try {
      for (int i = 1; i <= 5; i++) {
        Instant before = Instant.now();
        setImage("shop:evil-" + i);
        statusWrites.add(2 * i);
        int n = i;
        await().untilAsserted(() -> assertThat(occurrencesOf("shop")).hasSize(n));
        await().untilAsserted(() -> assertThat(written).hasValue(2 * n - 1));
        Instant edited = Instant.now();
        setImage("shop:1.0"); // a human puts it back
        statusWrites.add(2 * i + 1);
        await().untilAsserted(() -> assertThat(occurrencesOf("shop").get(n - 1).healed()).isTrue());
        await().untilAsserted(() -> assertThat(written).hasValue(2 * n));
        windows.add(new Instant[] {before, edited, Instant.now()});
      }
    } finally {
      controller.interrupt();
      controller.join(TimeUnit.SECONDS.toMillis(5));
    }
    // Status writes after the revert come back equal: nothing opens again.
    await()
        .during(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(occurrencesOf("shop")).hasSize(5));

    List<Drift> seen = occurrencesOf("shop");
    for (int i = 0; i < 5; i++) {
      Drift d = seen.get(i);
      Instant[] w = windows.get(i);
      assertThat(d.kind()).isEqualTo(DriftKind.DRIFT);
      assertThat(d.fields())
          .extracting(FieldDiff::live)
          .containsExactly("\"shop:evil-" + (i + 1) + "\"");
      assertThat(d.detectedAt()).isBetween(w[0], w[1]);
      assertThat(d.healedAt().orElseThrow()).isBetween(w[1], w[2]);
      assertThat(d.healedBy()).contains(HealedBy.MANUAL_REVERT);
    }
    // Reported exactly twice each: opened, closed. The status writes added nothing.
    assertThat(reports).hasSize(10);
    assertThat(watcher.openDrift()).isEmpty();
  }

  @Test
  void fiveEditsHealedBySelfHealAreFiveOccurrencesClosedBySelfHeal() {
    fiveSelfHealedEdits(false);
  }

  @Test
  void fiveEditsHealedBySelfHealWhileStatusIsWrittenAreFiveOccurrencesClosedBySelfHeal() {
    fiveSelfHealedEdits(true);
  }

  void fiveSelfHealedEdits(boolean statusWriter) {
    repo.write("app/deploy.yaml", deployment("shop:1.0"));
    deploy(app(SELF_HEAL));

    for (int i = 1; i <= 5; i++) {
      Instant before = Instant.now();
      setImage("shop:evil-" + i);
      if (statusWriter) {
        writeStatus(i); // the controller's status write right after the edit
      }
      int n = i;
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(occurrencesOf("shop")).hasSize(n);
                assertThat(occurrencesOf("shop").get(n - 1).healed()).isTrue();
              });
      Drift d = occurrencesOf("shop").get(n - 1);
      assertThat(d.detectedAt()).isAfterOrEqualTo(before);
      assertThat(d.healedAt().orElseThrow()).isAfterOrEqualTo(d.detectedAt());
      assertThat(d.healedBy()).contains(HealedBy.SELF_HEAL);
      assertThat(shop().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("shop:1.0");
    }
    assertThat(occurrencesOf("shop")).hasSize(5);
  }

  @Test
  void aStatusOnlyWriteOpensNothing() {
    repo.write("app/deploy.yaml", deployment("shop:1.0"));
    deploy(app(NO_AUTOMATION));

    for (int i = 1; i <= 3; i++) {
      writeStatus(i);
    }
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("shop")
        .edit(
            d -> {
              // A default the API server adds: a field Git does not set.
              d.getSpec().setRevisionHistoryLimit(10);
              return d;
            });

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(reports).isEmpty());
    assertThat(outOfSync(reconcile(false))).isEmpty();
    assertThat(reports).isEmpty();
  }

  @Test
  void anEntryClosesAfterAResync() {
    reconcileOnRequest = false;
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(AUTOMATED));
    editData("cfg", "greeting", "hacked");
    await().untilAsserted(() -> assertThat(occurrencesOf("cfg")).hasSize(1));

    Instant before = Instant.now();
    reconcile(true); // a periodic resync that re-applies

    Drift d = occurrencesOf("cfg").get(0);
    assertThat(d.healedBy()).contains(HealedBy.RESYNC);
    assertThat(d.healedAt().orElseThrow()).isAfterOrEqualTo(before);
    assertThat(watcher.openDrift()).isEmpty();
  }

  @Test
  void anEntryClosesAfterAManualSync() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(NO_AUTOMATION));
    editData("cfg", "greeting", "hacked");
    await().untilAsserted(() -> assertThat(occurrencesOf("cfg")).hasSize(1));
    assertThat(reconcile(false).sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(occurrencesOf("cfg")).as("a comparison adds no occurrence").hasSize(1);

    watcher.manualSync("web");
    reconcile(true);

    assertThat(occurrencesOf("cfg")).hasSize(1);
    assertThat(occurrencesOf("cfg").get(0).healedBy()).contains(HealedBy.SYNC);
  }

  @Test
  void anEntryClosesAfterAHumanRevert() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(NO_AUTOMATION));
    editData("cfg", "greeting", "hacked");
    await().untilAsserted(() -> assertThat(occurrencesOf("cfg")).hasSize(1));
    await().untilAsserted(() -> assertThat(requests).hasSize(1)); // to show it OutOfSync

    editData("cfg", "greeting", "hello");

    await().untilAsserted(() -> assertThat(occurrencesOf("cfg").get(0).healed()).isTrue());
    assertThat(occurrencesOf("cfg").get(0).healedBy()).contains(HealedBy.MANUAL_REVERT);
    // And a comparison, so that the status shows it Synced again rather than at the next resync.
    await().untilAsserted(() -> assertThat(requests).hasSize(2));
    // The next comparison agrees: nothing open, nothing out of sync.
    assertThat(outOfSync(reconcile(false))).isEmpty();
    assertThat(watcher.openDrift()).isEmpty();
  }

  @Test
  void anEntryClosesAfterANewCommitThatMatchesTheLiveObject() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(NO_AUTOMATION));
    editData("cfg", "greeting", "hotfix");
    await().untilAsserted(() -> assertThat(occurrencesOf("cfg")).hasSize(1));

    // The hotfix is committed to Git: desired now is what is live.
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hotfix"));
    revision = "rev2";
    ReconcileResult r = reconcile(false);

    Drift d = occurrencesOf("cfg").get(0);
    assertThat(d.healedBy()).contains(HealedBy.NEW_COMMIT);
    assertThat(outOfSync(r)).isEqualTo(open());
  }

  @Test
  void aNewerCommitNotYetSyncedIsListedAsPendingSyncAndAgreesWithTheSyncStatus() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(NO_AUTOMATION));

    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello, world"))
        .write("app/new.yaml", configMap("fresh", "k", "v"));
    revision = "rev2";
    ReconcileResult compared = reconcile(false);

    assertThat(compared.sync()).isEqualTo(SyncState.OUT_OF_SYNC);
    assertThat(outOfSync(compared)).isNotEmpty().isEqualTo(open());
    Map<String, Drift> byName =
        watcher.openDrift().stream().collect(Collectors.toMap(d -> d.object().name(), d -> d));
    assertThat(byName.get("cfg").kind()).isEqualTo(DriftKind.PENDING_SYNC);
    assertThat(byName.get("cfg").fields()).extracting(FieldDiff::path).contains("/data/greeting");
    assertThat(byName.get("fresh").kind()).isEqualTo(DriftKind.PENDING_SYNC);
    assertThat(byName.get("fresh").change()).isEqualTo(Drift.MISSING);

    watcher.manualSync("web");
    ReconcileResult synced = reconcile(true);

    assertThat(synced.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(watcher.openDrift()).isEmpty();
    assertThat(occurrences().values())
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.healedBy()).contains(HealedBy.SYNC));
  }

  @Test
  void anEditOfAnObjectPendingSyncIsDrift() {
    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello"));
    deploy(app(NO_AUTOMATION));
    editData("cfg", "greeting", "hacked");
    await().untilAsserted(() -> assertThat(occurrencesOf("cfg")).hasSize(1));

    repo.write("app/cm.yaml", configMap("cfg", "greeting", "hello, world"));
    revision = "rev2";
    reconcile(false);

    assertThat(occurrencesOf("cfg")).hasSize(1);
    assertThat(occurrencesOf("cfg").get(0).kind()).isEqualTo(DriftKind.DRIFT);
    assertThat(occurrencesOf("cfg").get(0).healed()).isFalse();
  }
}
