package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/**
 * App of Apps: the Argo CD objects in an Application's manifests belong to the control plane. The
 * agent applies the rest, and neither applies nor reports those (no Argo CD CRD is needed in the
 * cluster, and none is written there).
 */
@EnableKubernetesMockClient(crud = true)
class ControlPlaneObjectsMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  KubernetesClient client;

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  static String argo(String kind, String name) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  namespace: argocd\nspec:\n  project: default\n";
  }

  @Test
  void argoCdObjectsAreSkippedAndTheRestIsApplied() {
    repo.write(
        "apps/root/all.yaml",
        argo("Application", "child")
            + "---\n"
            + argo("ApplicationSet", "set")
            + "---\n"
            + argo("AppProject", "team")
            + "---\n"
            + configMap("cfg", "k", "v"));
    AppSpec app =
        AppSpec.parse(
            "root",
            "default",
            "{\"source\":{\"repoURL\":\"https://git.example/infra.git\",\"path\":\"apps/root\"},"
                + "\"destination\":{\"namespace\":\""
                + ns
                + "\"}}");

    ReconcileResult result = reconciler.reconcile(app, repo.root, "abc123", true);

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(result.resources())
        .extracting((ResourceLine l) -> l.key().kind() + "/" + l.key().name())
        .containsExactly("ConfigMap/cfg");
    assertThat(client.configMaps().inNamespace(ns).withName("cfg").get()).isNotNull();
  }

  @Test
  void aRenderOfOnlyArgoCdObjectsIsSyncedWithNothingToApply() {
    repo.write("apps/root/child.yaml", argo("Application", "child"));
    AppSpec app =
        AppSpec.parse(
            "root",
            "default",
            "{\"source\":{\"repoURL\":\"https://git.example/infra.git\",\"path\":\"apps/root\"},"
                + "\"destination\":{\"namespace\":\""
                + ns
                + "\"}}");

    ReconcileResult result = reconciler.reconcile(app, repo.root, "abc123", true);

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(result.resources()).isEmpty();
  }
}
