package dev.flotilla.agent.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.KubeApiTimeouts;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-heal of Deployments while a controller writes their status right after every spec change:
 * the heal's resourceVersion guard meets the status write, re-reads and wins, every time, on the
 * watch path alone (nothing else reconciles here).
 */
@EnableKubernetesMockClient(crud = true)
class DeploymentSelfHealMockTest {

  static {
    QuietMockServer.quiet();
  }

  private static final Logger LOG = LoggerFactory.getLogger(DeploymentSelfHealMockTest.class);

  static final int EDITS = 50;

  KubernetesClient client;
  KubernetesClient agentClient;
  ApplicationReconciler reconciler;
  DriftWatcher watcher;
  StatusWriter controller;
  final List<Drift> drifts = new CopyOnWriteArrayList<>();
  final List<String> reconcileRequests = new CopyOnWriteArrayList<>();
  final TestCheckout repo = new TestCheckout();
  String ns;

  @BeforeEach
  void setUp() {
    ns = "h-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    agentClient =
        new KubernetesClientBuilder()
            .withConfig(KubeApiTimeouts.DEFAULTS.applyTo(client.getConfiguration()))
            .build();
    reconciler = new ApplicationReconciler(agentClient);
    // Reconcile requests are only recorded: the single-object heal alone must revert the edits.
    watcher =
        new DriftWatcher(
                reconciler,
                drifts::add,
                reconcileRequests::add,
                Clock.systemUTC(),
                SelfHealSettings.DEFAULTS)
            .start();
    controller = new StatusWriter(client, ns);
  }

  @AfterEach
  void tearDown() {
    controller.close();
    watcher.close();
    agentClient.close();
    repo.close();
  }

  static String deployment(String name, String image) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: "
        + name
        + "\n  template:\n    metadata:\n      labels:\n        app: "
        + name
        + "\n    spec:\n      containers:\n      - name: main\n        image: "
        + image
        + "\n";
  }

  String image() {
    return client
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
        .getImage();
  }

  @Test
  void everyImageEditIsRevertedWhileTheControllerWritesStatus() {
    repo.write("app/web.yaml", deployment("web", "nginx:1.27"));
    AppSpec app =
        AppSpec.parse(
            "web",
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}");
    ReconcileResult deployed = reconciler.reconcile(app, repo.root, "rev1", true);
    assertThat(deployed.failed()).as(deployed.message()).isFalse();
    await().untilAsserted(() -> assertThat(controller.writes.get()).isPositive());

    List<Long> latenciesMs = new ArrayList<>();
    for (int i = 1; i <= EDITS; i++) {
      String hacked = "evil:" + i;
      // As `kubectl set image` does: a patch without a resourceVersion, so it never conflicts.
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                  + "\"value\":\""
                  + hacked
                  + "\"}]");
      long editedAt = System.nanoTime();
      await()
          .pollInterval(Duration.ofMillis(5))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(image()).as("edit %s reverted", hacked).isEqualTo("nginx:1.27"));
      latenciesMs.add((System.nanoTime() - editedAt) / 1_000_000);
    }

    Collections.sort(latenciesMs);
    LOG.info(
        "self-heal revert latency over {} Deployment image edits with a status writer:"
            + " p50 {} ms, p99 {} ms, max {} ms",
        EDITS,
        latenciesMs.get(EDITS / 2),
        latenciesMs.get((int) Math.ceil(EDITS * 0.99) - 1),
        latenciesMs.get(EDITS - 1));
    assertThat(controller.writes.get()).as("the controller raced every heal").isGreaterThan(EDITS);
    assertThat(reconcileRequests).as("healed on the watch path, object by object").isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(occurrences())
                    .as("every edit reported once, healed")
                    .hasSizeGreaterThanOrEqualTo(EDITS)
                    .allSatisfy(d -> assertThat(d.healed()).isTrue()));
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
