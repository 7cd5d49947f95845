package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.source.SourceCheckout;
import dev.flotilla.render.TestCheckout;
import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of the healthcare Application on a SIMULATED cluster: a Helm chart from
 * one repository with {@code values-prod.yaml} beside it and a {@code $values/...} value file from
 * a second repository, {@code CreateNamespace=true}, retry with backoff and ignoreDifferences.
 */
class MultiSourceSimulatedTest {

  static final String SPEC =
      """
      {"project":"healthcare",
       "sources":[
         {"repoURL":"https://git.example/charts.git","targetRevision":"main","path":"charts/api",
          "helm":{"valueFiles":["values-prod.yaml","$values/healthcare/values.yaml"]}},
         {"repoURL":"https://git.example/values.git","targetRevision":"main","ref":"values"}],
       "destination":{"server":"https://kubernetes.default.svc","namespace":"%s"},
       "syncPolicy":{"automated":{"prune":true,"selfHeal":true},
                     "syncOptions":["CreateNamespace=true"],
                     "retry":{"limit":5,"backoff":{"duration":"5s","factor":2,"maxDuration":"3m"}}},
       "ignoreDifferences":[{"kind":"ConfigMap","jsonPointers":["/data/tuned"]}],
       "info":[{"name":"owner","value":"healthcare-team"}],
       "revisionHistoryLimit":3}
      """;

  SimulatedCluster cluster;
  KubernetesClient client;
  ApplicationReconciler reconciler;
  final TestCheckout charts = new TestCheckout();
  final TestCheckout values = new TestCheckout();
  final String ns = "healthcare-" + System.nanoTime() % 100_000;

  @BeforeEach
  void start() {
    cluster = SimulatedCluster.start("multisource", SimulatedClusterOptions.defaults());
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.url()).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    reconciler = new ApplicationReconciler(client);
    charts
        .write("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 0.1.0\n")
        .write("charts/api/values.yaml", "tier: default\nreplicas: 1\nowner: nobody\n")
        .write("charts/api/values-prod.yaml", "tier: prod\nreplicas: 3\n")
        .write(
            "charts/api/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-settings\ndata:\n"
                + "  tier: {{ .Values.tier | quote }}\n  owner: {{ .Values.owner | quote }}\n"
                + "  replicas: {{ .Values.replicas | quote }}\n  tuned: \"no\"\n");
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
    charts.close();
    values.close();
  }

  ReconcileResult sync(AppSpec app, String valuesSha) {
    List<SourceCheckout> checkouts =
        List.of(
            new SourceCheckout(0, app.allSources().get(0), "c1", charts.root),
            new SourceCheckout(1, app.allSources().get(1), valuesSha, values.root));
    return reconciler.reconcile(app, checkouts, "c1," + valuesSha, true, false);
  }

  @Test
  void aFailedFirstAttemptIsRetriedWithBackoffThenTheSourcesSyncTogether() {
    AppSpec app = AppSpec.parse("healthcare", "healthcare", SPEC.formatted(ns));

    // The values repository does not hold the file yet: the render fails, and is retried.
    ReconcileResult first = sync(app, "v1");
    assertThat(first.failed()).isTrue();
    assertThat(first.requeueAfter()).contains(Duration.ofSeconds(5));
    assertThat(first.message())
        .isEqualTo(
            "retrying (attempt 1 of 5) in 5s: render failed: helm value file"
                + " '$values/healthcare/values.yaml' of source 1 (https://git.example/charts.git):"
                + " file 'healthcare/values.yaml' does not exist in the repository of source 2"
                + " (https://git.example/values.git) at v1");
    ReconcileResult second = sync(app, "v1");
    assertThat(second.message()).startsWith("retrying (attempt 2 of 5) in 10s: render failed");
    assertThat(reconciler.operation("healthcare").orElseThrow().retryCount()).isEqualTo(2);

    // A later commit of the values repository adds it: the next attempt succeeds.
    values.write("healthcare/values.yaml", "owner: healthcare-team\n");
    ReconcileResult third = sync(app, "v2");
    assertThat(third.failed()).as(third.message()).isFalse();
    assertThat(third.requeueAfter()).isEmpty();
    assertThat(client.namespaces().withName(ns).get()).as("CreateNamespace=true").isNotNull();
    ConfigMap cm = client.configMaps().inNamespace(ns).withName("api-settings").get();
    assertThat(cm.getData())
        .containsEntry("tier", "prod")
        .containsEntry("replicas", "3")
        .containsEntry("owner", "healthcare-team");
    assertThat(third.sync()).isEqualTo(SyncState.SYNCED);

    // ignoreDifferences: a field changed live that Git's diff must not look at.
    client
        .configMaps()
        .inNamespace(ns)
        .withName("api-settings")
        .edit(
            c -> {
              c.setData(new java.util.HashMap<>(c.getData()));
              c.getData().put("tuned", "yes");
              return c;
            });
    ReconcileResult compared =
        reconciler.reconcile(
            app,
            List.of(
                new SourceCheckout(0, app.allSources().get(0), "c1", charts.root),
                new SourceCheckout(1, app.allSources().get(1), "v2", values.root)),
            "c1,v2",
            false,
            false);
    assertThat(compared.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(client.configMaps().inNamespace(ns).withName("api-settings").get().getData())
        .containsAllEntriesOf(Map.of("tuned", "yes"));
  }
}
