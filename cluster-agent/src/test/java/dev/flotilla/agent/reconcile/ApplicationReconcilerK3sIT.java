package dev.flotilla.agent.reconcile;

import static dev.flotilla.agent.reconcile.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthState;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The reconcile engine against a real API server (k3s), for what the mock cannot show: server-side
 * apply, server defaulting not counting as drift, and health judged from controller-written status.
 * Skipped where no container engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ApplicationReconcilerK3sIT extends ReconcilerTestBase {

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  @Override
  String namespacePrefix() {
    return "k-";
  }

  AppSpec app(String syncPolicy) {
    return AppSpec.parse(
        "k3s-app",
        "default",
        "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
            + ns
            + "\"},\"syncPolicy\":"
            + syncPolicy
            + "}");
  }

  @Test
  void serverDefaultsAreNotDriftAndTheSecondReconcileWritesNothing() {
    repo.write("app/d.yaml", ReconcileBenchmark.deployment("web", 1));
    repo.write(
        "app/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n");
    AppSpec app = app("{\"automated\":{\"prune\":true}}");
    assertThat(reconciler.reconcile(app, repo.root, "r1", true).failed()).isFalse();
    String rv =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .get()
            .getMetadata()
            .getResourceVersion();

    ReconcileResult second = reconciler.reconcile(app, repo.root, "r1", true);

    assertThat(second.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(second.message()).contains("unchanged 2");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getMetadata()
                .getResourceVersion())
        .as("no write on the second reconcile")
        .isEqualTo(rv);
  }

  @Test
  void aRealDeploymentBecomesHealthy() {
    repo.write("app/d.yaml", ReconcileBenchmark.deployment("web", 1));
    AppSpec app = app("{\"automated\":{\"prune\":true}}");

    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () ->
                assertThat(reconciler.reconcile(app, repo.root, "r1", true).health())
                    .isEqualTo(HealthState.HEALTHY));
  }

  @Test
  void serverSideApplyUsesTheFlotillaFieldManager() {
    repo.write("app/cm.yaml", configMap("cfg", "k", "v"));
    AppSpec app =
        app("{\"automated\":{\"prune\":true},\"syncOptions\":[\"ServerSideApply=true\"]}");

    ReconcileResult result = reconciler.reconcile(app, repo.root, "r1", true);

    assertThat(result.failed()).as(result.message()).isFalse();
    var cm = client.configMaps().inNamespace(ns).withName("cfg").get();
    assertThat(cm.getMetadata().getManagedFields())
        .extracting(f -> f.getManager())
        .contains(ObjectApplier.FIELD_MANAGER);
    assertThat(reconciler.reconcile(app, repo.root, "r1", true).message()).contains("unchanged 1");
  }

  @Test
  void selfHealRevertsAScaleOnARealCluster() {
    repo.write("app/d.yaml", ReconcileBenchmark.deployment("web", 1));
    List<Drift> drifts = new CopyOnWriteArrayList<>();
    AppSpec app = app("{\"automated\":{\"prune\":true,\"selfHeal\":true}}");
    // Self-heal is a reconcile of the whole Application, serialised as the agent's queue does.
    java.util.concurrent.ExecutorService queue =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (DriftWatcher watcher =
        new DriftWatcher(
                reconciler,
                drifts::add,
                a -> queue.execute(() -> reconciler.reconcile(app, repo.root, "r1", true)))
            .start()) {
      reconciler.reconcile(app, repo.root, "r1", true);

      client.apps().deployments().inNamespace(ns).withName("web").scale(3);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(drifts).anySatisfy(d -> assertThat(d.healed()).isTrue()));
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName("web")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(1);
    } finally {
      queue.shutdownNow();
    }
  }

  @Test
  void aCustomResourceAppliedBeforeARestartIsStillPruned() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(
            new java.io.ByteArrayInputStream(
                ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                        + "  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
                        + "  names: {kind: Gadget, plural: gadgets, singular: gadget}\n  versions:\n"
                        + "  - name: v1\n    served: true\n    storage: true\n    schema:\n"
                        + "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .createOr(c -> c.update());
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.getApiResources("example.com/v1").getResources().size() > 0);
    repo.write("app/g.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\n");
    repo.write("app/cm.yaml", configMap("cfg"));
    AppSpec app = app("{\"automated\":{\"prune\":true}}");
    assertThat(reconciler.reconcile(app, repo.root, "r1", true).failed()).isFalse();
    repo.delete("app/g.yaml");

    ApplicationReconciler afterRestart = new ApplicationReconciler(client);
    ReconcileResult result = afterRestart.reconcile(app, repo.root, "r2", true);

    assertThat(result.message()).contains("pruned 1");
    assertThat(
            client
                .genericKubernetesResources("example.com/v1", "Gadget")
                .inNamespace(ns)
                .withName("g1")
                .get())
        .isNull();
  }
}
