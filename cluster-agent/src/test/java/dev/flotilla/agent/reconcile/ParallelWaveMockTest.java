package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.KubeApiTimeouts;
import dev.flotilla.agent.reconcile.drift.HoldingProxy;
import dev.flotilla.agent.reconcile.operation.ResourceResult;
import dev.flotilla.agent.reconcile.operation.ResultCode;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The objects of one wave are written concurrently, as Argo CD's sync does: one object whose API
 * request hangs (a proxy holds its writes) never delays the others of its wave, and fails alone by
 * its request timeout; waves stay in order.
 */
class ParallelWaveMockTest {

  static {
    QuietMockServer.quiet();
  }

  /** Long enough that "promptly" below cannot be the held request timing out first. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(12);

  KubernetesMockServer server;
  KubernetesClient client;
  HoldingProxy proxy;
  KubernetesClient agentClient;
  ApplicationReconciler reconciler;
  final TestCheckout repo = new TestCheckout();
  String ns;

  @BeforeEach
  void setUp() throws IOException {
    // Plain HTTP, so that the proxy can read request lines.
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    ns = "wave-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    proxy = new HoldingProxy(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort());
    KubeApiTimeouts timeouts =
        new KubeApiTimeouts(Duration.ofSeconds(2), REQUEST_TIMEOUT, Duration.ofMinutes(10));
    agentClient =
        new KubernetesClientBuilder()
            .withConfig(
                timeouts.applyTo(
                    new ConfigBuilder(client.getConfiguration())
                        .withMasterUrl(proxy.url())
                        .build()))
            .build();
    reconciler = new ApplicationReconciler(agentClient);
  }

  @AfterEach
  void tearDown() throws IOException {
    agentClient.close();
    proxy.close();
    client.close();
    server.destroy();
    repo.close();
  }

  AppSpec app() {
    return AppSpec.parse(
        "web",
        "default",
        "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\"" + ns + "\"}}");
  }

  String greeting(String name) {
    var cm = client.configMaps().inNamespace(ns).withName(name).get();
    return cm == null ? null : cm.getData().get("greeting");
  }

  @Test
  void aHungWriteDelaysNoOtherObjectOfItsWaveAndFailsAloneByItsTimeout() {
    // "a-stuck" comes first in the wave's order, so a one-by-one sync would wait for it.
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("a-stuck")
                .endMetadata()
                .addToData("greeting", "old")
                .build())
        .create();
    repo.write("app/a-stuck.yaml", configMap("a-stuck", "greeting", "hello"));
    for (String name : new String[] {"b", "c", "d", "e", "f"}) {
      repo.write("app/" + name + ".yaml", configMap(name, "greeting", "hello"));
    }
    proxy.holdWrites("/api/v1/namespaces/" + ns + "/configmaps/a-stuck");

    long started = System.nanoTime();
    CompletableFuture<ReconcileResult> sync =
        CompletableFuture.supplyAsync(() -> reconciler.reconcile(app(), repo.root, "rev1", true));

    await()
        .atMost(REQUEST_TIMEOUT.dividedBy(3))
        .untilAsserted(
            () -> {
              for (String name : new String[] {"b", "c", "d", "e", "f"}) {
                assertThat(greeting(name)).as(name).isEqualTo("hello");
              }
            });
    assertThat(proxy.heldRequests()).isPositive();
    assertThat(sync).as("the held write still holds its sync").isNotDone();

    ReconcileResult result = sync.join();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("ended by the held request's timeout")
        .isGreaterThanOrEqualTo(REQUEST_TIMEOUT.minusSeconds(1));
    assertThat(result.failed()).isTrue();
    assertThat(result.message()).startsWith("could not apply ConfigMap " + ns + "/a-stuck: ");
    Map<String, ResultCode> codes =
        result.syncResults().stream()
            .collect(Collectors.toMap(r -> r.key().name(), ResourceResult::status));
    assertThat(codes)
        .containsEntry("a-stuck", ResultCode.SYNC_FAILED)
        .containsEntry("b", ResultCode.SYNCED)
        .containsEntry("f", ResultCode.SYNCED)
        .hasSize(6);
    assertThat(result.syncResults())
        .extracting(r -> r.key().name())
        .as("results in the wave's order")
        .containsExactly("a-stuck", "b", "c", "d", "e", "f");
    assertThat(greeting("a-stuck")).isEqualTo("old");

    // Once the server answers again, the next sync finishes the job.
    proxy.releaseAll();
    ReconcileResult again = reconciler.reconcile(app(), repo.root, "rev1", true);
    assertThat(again.failed()).as(again.message()).isFalse();
    assertThat(greeting("a-stuck")).isEqualTo("hello");
  }

  @Test
  void aHungDeleteDelaysNoOtherPruneOfItsWave() {
    AppSpec pruning =
        AppSpec.parse(
            "web",
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true}}}");
    repo.write("app/keep.yaml", configMap("keep", "greeting", "hello"));
    // "z-stuck" is pruned first (reverse apply order), so a one-by-one prune would wait for it.
    for (String name : new String[] {"b", "c", "d", "z-stuck"}) {
      repo.write("app/" + name + ".yaml", configMap(name, "greeting", "hello"));
    }
    ReconcileResult deployed = reconciler.reconcile(pruning, repo.root, "rev1", true);
    assertThat(deployed.failed()).as(deployed.message()).isFalse();
    for (String name : new String[] {"b", "c", "d", "z-stuck"}) {
      assertThat(repo.root.resolve("app/" + name + ".yaml").toFile().delete()).isTrue();
    }
    proxy.holdWrites("/api/v1/namespaces/" + ns + "/configmaps/z-stuck");

    CompletableFuture<ReconcileResult> sync =
        CompletableFuture.supplyAsync(() -> reconciler.reconcile(pruning, repo.root, "rev2", true));

    await()
        .atMost(REQUEST_TIMEOUT.dividedBy(3))
        .untilAsserted(
            () -> {
              for (String name : new String[] {"b", "c", "d"}) {
                assertThat(client.configMaps().inNamespace(ns).withName(name).get())
                    .as(name + " pruned")
                    .isNull();
              }
            });
    assertThat(sync).as("the held delete still holds its sync").isNotDone();
    ReconcileResult result = sync.join();
    assertThat(result.failed()).isTrue();
    assertThat(result.message()).startsWith("could not prune ConfigMap " + ns + "/z-stuck: ");
    assertThat(result.syncResults())
        .filteredOn(r -> r.status() == ResultCode.PRUNED)
        .extracting(r -> r.key().name())
        .containsExactlyInAnyOrder("b", "c", "d");
    assertThat(greeting("z-stuck")).as("left for the next sync").isEqualTo("hello");
  }

  @Test
  void aLaterWaveWaitsUntilEveryObjectOfTheWaveBeforeIsHealthy() {
    repo.write(
            "app/web.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
                + "    argocd.argoproj.io/sync-wave: \"1\"\nspec:\n  replicas: 1\n  selector:\n"
                + "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
                + "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n")
        .write("app/one-a.yaml", wave(configMap("one-a", "greeting", "hello"), 1))
        .write("app/one-b.yaml", wave(configMap("one-b", "greeting", "hello"), 1))
        .write("app/two-a.yaml", wave(configMap("two-a", "greeting", "hello"), 2))
        .write("app/two-b.yaml", wave(configMap("two-b", "greeting", "hello"), 2));

    ReconcileResult first = reconciler.reconcile(app(), repo.root, "rev1", true);

    assertThat(first.failed()).as(first.message()).isFalse();
    assertThat(first.message())
        .startsWith("waiting for healthy state of apps/Deployment " + ns + "/web (wave 1)");
    assertThat(greeting("one-a")).isEqualTo("hello");
    assertThat(greeting("one-b")).isEqualTo("hello");
    assertThat(greeting("two-a")).as("wave 2 waits for wave 1's health").isNull();
    assertThat(greeting("two-b")).isNull();

    markAvailable("web");
    ReconcileResult second = reconciler.reconcile(app(), repo.root, "rev1", true);

    assertThat(second.failed()).as(second.message()).isFalse();
    assertThat(second.waves().applied()).containsExactly(1, 2);
    assertThat(greeting("two-a")).isEqualTo("hello");
    assertThat(greeting("two-b")).isEqualTo("hello");
  }

  static String wave(String manifest, int wave) {
    return manifest.replace(
        "metadata:\n",
        "metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: \"" + wave + "\"\n");
  }

  void markAvailable(String name) {
    var resource = client.apps().deployments().inNamespace(ns).withName(name);
    Deployment live = resource.get();
    live.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(live.getMetadata().getGeneration())
            .withReplicas(1)
            .withReadyReplicas(1)
            .withUpdatedReplicas(1)
            .withAvailableReplicas(1)
            .build());
    resource.updateStatus(live);
  }
}
