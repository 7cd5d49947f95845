package dev.flotilla.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated API server driven by the fabric8 client, as the agent and tests drive it. */
class ApiServerTest {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static SimulatedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster =
        SimulatedCluster.start("api-test", SimulatedClusterOptions.defaults().withoutControllers());
    client = client(cluster);
  }

  static KubernetesClient client(SimulatedCluster cluster) {
    Config config =
        new ConfigBuilder()
            .withMasterUrl(cluster.url())
            .withNamespace("default")
            .withRequestTimeout(10_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  /** Each test owns its namespace. */
  static String namespace() {
    String ns = "t" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  static Deployment deployment(String ns, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static ConfigMap configMap(String ns, String name, String app) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("app", app)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  @Test
  void discoveryListsBuiltInGroupsAndShortNames() {
    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .contains(
            "apps", "batch", "networking.k8s.io", "apiextensions.k8s.io", "policy", "autoscaling");
    List<APIResource> apps = client.getApiResources("apps/v1").getResources();
    assertThat(apps)
        .filteredOn(r -> r.getName().equals("deployments"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getShortNames()).containsExactly("deploy");
              assertThat(r.getNamespaced()).isTrue();
              assertThat(r.getVerbs())
                  .contains(
                      "get",
                      "list",
                      "watch",
                      "create",
                      "update",
                      "patch",
                      "delete",
                      "deletecollection");
            });
    assertThat(apps)
        .extracting(APIResource::getName)
        .contains("deployments/scale", "deployments/status");
    assertThat(client.getKubernetesVersion().getGitVersion()).endsWith("-simulated");
  }

  @Test
  void aCreatedCrdAppearsInDiscoveryAndServesItsObjects() {
    String ns = namespace();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("gadgets.example.com")
                .endMetadata()
                .withNewSpec()
                .withGroup("example.com")
                .withScope("Namespaced")
                .withNewNames()
                .withPlural("gadgets")
                .withSingular("gadget")
                .withKind("Gadget")
                .withShortNames("gd")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build())
        .create();
    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .contains("example.com");
    assertThat(client.getApiResources("example.com/v1alpha1").getResources())
        .extracting(APIResource::getName)
        .containsExactly("gadgets");
    var gadgets =
        client.genericKubernetesResources("example.com/v1alpha1", "Gadget").inNamespace(ns);
    gadgets
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1alpha1")
                .withKind("Gadget")
                .withNewMetadata()
                .withName("g1")
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("size", 3))
                .build())
        .create();
    assertThat(gadgets.withName("g1").get().getAdditionalProperties())
        .containsEntry("spec", Map.of("size", 3));
    var crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("gadgets.example.com")
            .get();
    assertThat(crd.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("Established=True", "NamesAccepted=True");
  }

  @Test
  void crudOnADeployment() {
    String ns = namespace();
    Deployment created =
        client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 1)).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    Deployment edited =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .edit(
                d -> {
                  d.getSpec().setReplicas(3);
                  return d;
                });
    assertThat(edited.getSpec().getReplicas()).isEqualTo(3);
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    Deployment replaced =
        client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 4)).update();
    assertThat(replaced.getSpec().getReplicas()).isEqualTo(4);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(1);

    client.apps().deployments().inNamespace(ns).withName("web").delete();
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNull();
  }

  @Test
  void setBasedAndEqualitySelectors() {
    String ns = namespace();
    for (String app : List.of("a", "b", "c")) {
      client.configMaps().inNamespace(ns).resource(configMap(ns, "cm-" + app, app)).create();
    }
    var cms = client.configMaps().inNamespace(ns);
    assertThat(names(cms.withLabelIn("app", "a", "b").list())).containsExactly("cm-a", "cm-b");
    assertThat(names(cms.withLabelNotIn("app", "a", "b").list())).containsExactly("cm-c");
    assertThat(names(cms.withLabel("app", "b").list())).containsExactly("cm-b");
    assertThat(names(cms.withoutLabel("app", "b").list())).containsExactly("cm-a", "cm-c");
    assertThat(names(cms.withLabel("app").list())).hasSize(3);
    assertThat(names(cms.withoutLabel("app").list())).isEmpty();
    assertThat(names(cms.withField("metadata.name", "cm-c").list())).containsExactly("cm-c");
  }

  @Test
  void pagingWithLimitAndContinue() {
    String ns = namespace();
    for (int i = 0; i < 5; i++) {
      client.configMaps().inNamespace(ns).resource(configMap(ns, "page-" + i, "p")).create();
    }
    ConfigMapList first =
        client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(2L).build());
    assertThat(names(first)).containsExactly("page-0", "page-1");
    assertThat(first.getMetadata().getContinue()).isNotEmpty();
    ConfigMapList second =
        client
            .configMaps()
            .inNamespace(ns)
            .list(
                new ListOptionsBuilder()
                    .withLimit(2L)
                    .withContinue(first.getMetadata().getContinue())
                    .build());
    assertThat(names(second)).containsExactly("page-2", "page-3");
    assertThat(names(client.configMaps().inNamespace(ns).list())).hasSize(5);
  }

  @Test
  void anInformerSeesAddsUpdatesAndDeletes() throws Exception {
    String ns = namespace();
    List<String> events = new CopyOnWriteArrayList<>();
    client.configMaps().inNamespace(ns).resource(configMap(ns, "before", "x")).create();
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace(ns)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap o) {
                    events.add("add " + o.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap old, ConfigMap o) {
                    events.add("update " + o.getMetadata().getName() + " " + o.getData().get("k"));
                  }

                  @Override
                  public void onDelete(ConfigMap o, boolean unknown) {
                    events.add("delete " + o.getMetadata().getName());
                  }
                });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("add before"));
      client.configMaps().inNamespace(ns).resource(configMap(ns, "later", "x")).create();
      client
          .configMaps()
          .inNamespace(ns)
          .withName("later")
          .edit(
              c -> {
                c.getData().put("k", "changed");
                return c;
              });
      client.configMaps().inNamespace(ns).withName("before").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .contains("add later", "update later changed", "delete before"));
    } finally {
      informer.close();
    }
  }

  @Test
  void scaleSubresourceMapsOntoSpecReplicas() {
    String ns = namespace();
    client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 2)).create();
    Scale scale = client.apps().deployments().inNamespace(ns).withName("web").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");
    client.apps().deployments().inNamespace(ns).withName("web").scale(5);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(5);
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "db")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage("postgres")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("db")
                .scale()
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
  }

  @Test
  void statusIsWrittenOnlyThroughItsSubresource() {
    String ns = namespace();
    Deployment created =
        client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 2)).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withReplicas(2)
            .withReadyReplicas(2)
            .build());
    Deployment withStatus =
        client.apps().deployments().inNamespace(ns).resource(created).updateStatus();
    assertThat(withStatus.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(withStatus.getMetadata().getGeneration()).isEqualTo(1L);

    Deployment update = client.apps().deployments().inNamespace(ns).withName("web").get();
    update.getStatus().setReadyReplicas(0);
    update.getSpec().setReplicas(3);
    Deployment after = client.apps().deployments().inNamespace(ns).resource(update).update();
    assertThat(after.getStatus().getReadyReplicas())
        .as("a main-resource update ignores status")
        .isEqualTo(2);
    assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void dryRunValidatesAndStoresNothing() {
    String ns = namespace();
    Deployment answer =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .resource(deployment(ns, "dry", 1))
            .dryRun()
            .create();
    assertThat(answer.getMetadata().getUid()).isNotEmpty();
    assertThat(client.apps().deployments().inNamespace(ns).withName("dry").get()).isNull();

    client.apps().deployments().inNamespace(ns).resource(deployment(ns, "real", 1)).create();
    assertThatThrownBy(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .resource(deployment(ns, "real", 1))
                    .dryRun()
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    client.apps().deployments().inNamespace(ns).withName("real").dryRun().delete();
    assertThat(client.apps().deployments().inNamespace(ns).withName("real").get()).isNotNull();
  }

  @Test
  void jsonPatchApplies() {
    String ns = namespace();
    client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 1)).create();
    Deployment patched =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":6}]");
    assertThat(patched.getSpec().getReplicas()).isEqualTo(6);
  }

  @Test
  void refusalsAreKubernetesStatusErrors() {
    String ns = namespace();
    client.configMaps().inNamespace(ns).resource(configMap(ns, "taken", "x")).create();
    assertThatThrownBy(
            () ->
                client.configMaps().inNamespace(ns).resource(configMap(ns, "taken", "x")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
              assertThat(e.getStatus().getDetails().getName()).isEqualTo("taken");
              assertThat(e.getStatus().getDetails().getKind()).isEqualTo("configmaps");
            });
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("missing-ns")
                    .resource(configMap("missing-ns", "x", "x"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getStatus().getMessage())
                  .isEqualTo("namespaces \"missing-ns\" not found");
            });
    assertThatThrownBy(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("ghost")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    client.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 1)).create();
    // A strategic merge patch, as kubectl edit sends one, goes through the standard engine.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":2}}");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }

  static List<String> names(ConfigMapList list) {
    return list.getItems().stream().map(c -> c.getMetadata().getName()).toList();
  }
}
