package dev.flotilla.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * Makes one cluster look like Git for one Application: render, apply, prune, assess health.
 *
 * <p>Every method blocks (Kubernetes and file I/O): call from a worker thread, never an event loop.
 */
public final class ApplicationReconciler {

  private final KubernetesClient client;

  public ApplicationReconciler(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Renders {@code app}'s source from {@code repoRoot} (a checkout of {@code revision}) and, when {@code
   * apply} is true, applies and prunes per the Application's sync policy; otherwise only compares.
   */
  public ReconcileResult reconcile(AppSpec app, Path repoRoot, String revision, boolean apply) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Deletes every object this Application owns (honouring Delete=false); used when it is unassigned. */
  public ReconcileResult deleteOwnedResources(String applicationName) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
