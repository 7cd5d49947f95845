package dev.flotilla.agent.reconcile;

import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the reconcile engine's tests share, whatever API server they run against (fabric8's
 * mock or k3s): a reconciler on that server, a checkout of the test's own and a fresh namespace.
 */
abstract class ReconcilerTestBase {

  ApplicationReconciler reconciler;
  TestCheckout repo;
  String ns;

  /** The client of the API server the test runs against, ready before each test. */
  abstract KubernetesClient kubernetes();

  /** How this test's namespaces start, to tell them apart on a shared server. */
  String namespacePrefix() {
    return "t-";
  }

  @BeforeEach
  void setUpReconciler() {
    reconciler = new ApplicationReconciler(kubernetes());
    repo = new TestCheckout();
    ns = namespacePrefix() + UUID.randomUUID().toString().substring(0, 8);
    kubernetes()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  @AfterEach
  void closeRepo() {
    repo.close();
  }
}
