package dev.flotilla.agent.reconcile.drift;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.KubeApiTimeouts;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One API request that is never answered (a wedged server, a black-holed connection) must not delay
 * any other heal: the agent's client talks to the mock API server through a proxy that holds every
 * request for one object's path.
 */
class HungApiRequestMockTest {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;
  KubernetesMockServer server;
  HoldingProxy proxy;
  KubernetesClient agentClient;
  ApplicationReconciler reconciler;
  DriftWatcher watcher;
  final List<Drift> drifts = new CopyOnWriteArrayList<>();
  final List<String> reconcileRequests = new CopyOnWriteArrayList<>();
  final TestCheckout web = new TestCheckout();
  final TestCheckout shop = new TestCheckout();
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
    ns = "hung-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    proxy = new HoldingProxy(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort());
  }

  /** The agent's side, through the proxy, with these deadlines. */
  void startAgent(Duration requestTimeout, Duration watchResync) {
    KubeApiTimeouts timeouts =
        new KubeApiTimeouts(Duration.ofSeconds(2), requestTimeout, Duration.ofMinutes(10));
    agentClient =
        new KubernetesClientBuilder()
            .withConfig(
                timeouts.applyTo(
                    new ConfigBuilder(client.getConfiguration())
                        .withMasterUrl(proxy.url())
                        .build()))
            .build();
    reconciler = new ApplicationReconciler(agentClient);
    watcher =
        new DriftWatcher(
                reconciler,
                drifts::add,
                reconcileRequests::add,
                Clock.systemUTC(),
                SelfHealSettings.DEFAULTS.withWatchResync(watchResync))
            .start();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (watcher != null) {
      watcher.close();
      agentClient.close();
    }
    proxy.close();
    client.close();
    server.destroy();
    web.close();
    shop.close();
  }

  AppSpec app(String name) {
    return AppSpec.parse(
        name,
        "default",
        "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
            + ns
            + "\"},\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}");
  }

  void deploy(String name, TestCheckout repo) {
    ReconcileResult r = reconciler.reconcile(app(name), repo.root, "rev1", true);
    assertThat(r.failed()).as(r.message()).isFalse();
  }

  void edit(String name, String value) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .edit(c -> new ConfigMapBuilder(c).addToData("greeting", value).build());
  }

  String greeting(String name) {
    return client.configMaps().inNamespace(ns).withName(name).get().getData().get("greeting");
  }

  ObjectKey key(String kind, String group, String name) {
    return new ObjectKey(group, "v1", kind, ns, name);
  }

  static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void aHungRequestDelaysNoOtherHealAndIsRetriedAfterItsTimeout() throws IOException {
    // Long enough that "promptly" below cannot be the hung request timing out first.
    startAgent(Duration.ofSeconds(15), Duration.ofMinutes(10));
    web.write("app/stuck.yaml", configMap("stuck", "greeting", "hello"))
        .write("app/cfg.yaml", configMap("cfg", "greeting", "hello"));
    shop.write("app/other.yaml", configMap("other", "greeting", "hello"));
    deploy("web", web);
    deploy("shop", shop);
    proxy.hold("/api/v1/namespaces/" + ns + "/configmaps/stuck");

    edit("stuck", "hacked");
    await().untilAsserted(() -> assertThat(proxy.heldRequests()).isPositive());
    edit("cfg", "hacked");
    edit("other", "hacked");

    // The same Application's other object and another Application's object heal at once.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(greeting("cfg")).isEqualTo("hello");
              assertThat(greeting("other")).isEqualTo("hello");
            });
    assertThat(greeting("stuck")).isEqualTo("hacked");
    assertThat(threadsNamed("self-heal-")).as("a bounded pool").isLessThanOrEqualTo(4);

    // The hung request fails by its timeout; the object (only it) waits for a retry...
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(watcher.healsRetrying()).contains(key("ConfigMap", "", "stuck")));
    // ...which heals it once the server answers again.
    proxy.releaseAll();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(greeting("stuck")).isEqualTo("hello"));
    assertThat(reconcileRequests).as("no Application was reconciled as a whole").isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(occurrences())
                    .extracting(d -> d.object().name() + (d.healed() ? " healed" : " NOT"))
                    .containsExactlyInAnyOrder("cfg healed", "other healed", "stuck healed"));

    watcher.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(threadsNamed("self-heal")).as("no thread leak").isZero());
  }

  @Test
  void aConfigMapEditIsHealedPromptlyWhileADeploymentHealIsRetried() {
    startAgent(Duration.ofSeconds(2), Duration.ofMinutes(10));
    web.write("app/web.yaml", DeploymentSelfHealMockTest.deployment("web", "nginx:1.27"))
        .write("app/cfg.yaml", configMap("cfg", "greeting", "hello"));
    deploy("web", web);
    proxy.hold("/apis/apps/v1/namespaces/" + ns + "/deployments/web");
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:1");
              return d;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(watcher.healsRetrying())
                    .contains(new ObjectKey("apps", "v1", "Deployment", ns, "web")));

    edit("cfg", "hacked");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(greeting("cfg")).isEqualTo("hello"));
    proxy.releaseAll();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName("web")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("nginx:1.27"));
  }

  @Test
  void aWatchThatStallsIsRelistedAndTheDriftItHidHealed() {
    startAgent(Duration.ofSeconds(2), Duration.ofSeconds(2));
    web.write("app/cfg.yaml", configMap("cfg", "greeting", "hello"));
    deploy("web", web);

    // Every open connection, the watches among them, goes silent without closing.
    proxy.stallOpenConnections();
    edit("cfg", "hacked");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(greeting("cfg")).isEqualTo("hello"));
  }

  /**
   * The latest report of each occurrence (an entry is reported when it opens and when it closes).
   */
  List<Drift> occurrences() {
    Map<String, Drift> out = new java.util.LinkedHashMap<>();
    drifts.forEach(d -> out.put(d.object() + "@" + d.detectedAt(), d));
    return List.copyOf(out.values());
  }
}
