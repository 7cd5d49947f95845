package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What the reconcile engine must do against an API server that behaves like a real one —
 * server-side apply with field managers, server defaulting that is not drift, health from
 * controller-written status, self-heal of a scale, pruning after a restart. Run against k3s ({@link
 * ApplicationReconcilerK3sIT}, where a container engine exists) and against the SIMULATED API
 * server ({@link ApplicationReconcilerSimulatedTest}, everywhere).
 */
abstract class RealApiServerContract extends ReconcilerTestBase {

  AppSpec app(String syncPolicy) {
    return AppSpec.parse(
        "real-app",
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
    Long generation =
        kubernetes()
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .get()
            .getMetadata()
            .getGeneration();

    ReconcileResult second = reconciler.reconcile(app, repo.root, "r1", true);

    assertThat(second.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(second.message()).contains("unchanged 2");
    assertThat(
            kubernetes()
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getMetadata()
                .getGeneration())
        .as("no change on the second reconcile (controllers may still write status)")
        .isEqualTo(generation);
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
    var cm = kubernetes().configMaps().inNamespace(ns).withName("cfg").get();
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

      // A merge patch, not scale()'s read-then-replace: a controller writing the status at the
      // same moment would make the replace meet a conflict (a flake, not what is tested).
      kubernetes()
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName("web")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              "{\"spec\":{\"replicas\":3}}");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(drifts).anySatisfy(d -> assertThat(d.healed()).isTrue()));
      assertThat(
              kubernetes()
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
    kubernetes()
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
        .until(() -> kubernetes().getApiResources("example.com/v1").getResources().size() > 0);
    repo.write("app/g.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\n");
    repo.write("app/cm.yaml", configMap("cfg"));
    AppSpec app = app("{\"automated\":{\"prune\":true}}");
    assertThat(reconciler.reconcile(app, repo.root, "r1", true).failed()).isFalse();
    repo.delete("app/g.yaml");

    ApplicationReconciler afterRestart = new ApplicationReconciler(kubernetes());
    ReconcileResult result = afterRestart.reconcile(app, repo.root, "r2", true);

    assertThat(result.message()).contains("pruned 1");
    assertThat(
            kubernetes()
                .genericKubernetesResources("example.com/v1", "Gadget")
                .inNamespace(ns)
                .withName("g1")
                .get())
        .isNull();
  }
}
