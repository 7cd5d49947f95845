package dev.flotilla.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceRequestKind;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import dev.flotilla.render.TestCheckout;
import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import dev.flotilla.simulator.controller.ControllerOptions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's resource proxy on a SIMULATED cluster (controllers make the ReplicaSets, Pods, events
 * and log lines): the tree through ownerReferences, Secrets masked, the diff of a manual edit, and
 * refusals for what is not the Application's.
 */
class ResourceProxySimulatedTest {

  static final String APP = "proxy-app";
  static final String SECRET_VALUE = "hunter2-very-secret";

  static SimulatedCluster cluster;
  static KubernetesClient client;
  static ScheduledExecutorService scheduler;

  ApplicationReconciler reconciler;
  TestCheckout repo;
  String ns;
  AppSpec app;
  ResourceProxy proxy;
  final List<ResourceResponse> sent = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster =
        SimulatedCluster.start(
            "proxy-test",
            SimulatedClusterOptions.defaults()
                .withControllers(
                    ControllerOptions.defaults().withPodReadyDelay(Duration.ofMillis(50))));
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.url())
            .withRequestTimeout(30_000)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stopCluster() {
    scheduler.shutdownNow();
    client.close();
    cluster.close();
  }

  @BeforeEach
  void deploy() {
    reconciler = new ApplicationReconciler(client);
    repo = new TestCheckout();
    ns = "p-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    repo.write("app/d.yaml", deployment("web", 2));
    repo.write(
        "app/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  greeting: hello\n");
    repo.write(
        "app/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: "
            + b64(SECRET_VALUE)
            + "\n");
    app =
        AppSpec.parse(
            APP,
            "default",
            "{\"source\":{\"path\":\"app\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true}}}");
    assertThat(reconciler.reconcile(app, repo.root, "r1", true).failed()).isFalse();
    proxy =
        new ResourceProxy(
            reconciler, APP::equals, m -> sent.add(m.getResourceResponse()) || true, scheduler, 1);
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    repo.close();
  }

  @Test
  void theTreeHoldsTheDeploymentsReplicaSetAndPodsFoundThroughOwnerReferences() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var tree = new ApplicationObjects(reconciler).read(APP, 1000, false);
              var deployment = tree.find("apps", "Deployment", ns, "web").orElseThrow();
              assertThat(deployment.managed()).isTrue();
              var replicaSets =
                  tree.nodes().stream().filter(n -> n.key().kind().equals("ReplicaSet")).toList();
              assertThat(replicaSets).hasSize(1);
              assertThat(replicaSets.get(0).parentUids()).containsExactly(deployment.uid());
              assertThat(tree.pods(deployment)).hasSize(2);
              assertThat(tree.pods(deployment))
                  .allSatisfy(p -> assertThat(p.parentUids()).contains(replicaSets.get(0).uid()));
            });
  }

  @Test
  void theTreeIsCappedAndSaysHowManyChildrenItLeftOut() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // Three managed objects always; one node of room for children.
              var tree = new ApplicationObjects(reconciler).read(APP, 4, false);
              assertThat(tree.nodes()).hasSize(4);
              assertThat(tree.omitted()).isEqualTo(2); // the two Pods
            });
  }

  @Test
  void secretValuesAreMaskedInLiveAndDesiredManifests() {
    for (ResourceRequestKind kind :
        List.of(ResourceRequestKind.LIVE_MANIFESTS, ResourceRequestKind.DESIRED_MANIFESTS)) {
      ResourceResponse answer = ask(request(kind));
      assertThat(answer.getErrorCode()).isEmpty();
      assertThat(answer.getObjectsList()).hasSize(3);
      String secret =
          answer.getObjectsList().stream()
              .filter(o -> o.getRef().getKind().equals("Secret"))
              .findFirst()
              .orElseThrow()
              .getJson();
      assertThat(secret).contains("\"password\":\"++++++++\"");
      assertThat(answer.toString())
          .doesNotContain(SECRET_VALUE)
          .doesNotContain(b64(SECRET_VALUE))
          .doesNotContain("last-applied");
    }
  }

  @Test
  void aManualEditShowsInTheDiffAndNothingElseDoesWithTheWatchCacheInUse() {
    try (var watcher =
        new dev.flotilla.agent.reconcile.drift.DriftWatcher(reconciler, d -> {}, a -> {}).start()) {
      reconciler.reconcile(app, repo.root, "r1", false);
      aManualEditShowsInTheDiffAndNothingElseDoes();
    }
  }

  @Test
  void aManualEditShowsInTheDiffAndNothingElseDoes() {
    ResourceResponse clean = ask(request(ResourceRequestKind.DIFF));
    assertThat(clean.getRevision()).isEqualTo("r1");
    assertThat(clean.getDiffsList()).hasSize(3).noneMatch(ObjectDiff::getModified);

    client
        .configMaps()
        .inNamespace(ns)
        .withName("cfg")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "edited by hand").build());
    client
        .secrets()
        .inNamespace(ns)
        .withName("creds")
        .edit(
            s -> {
              s.getData().put("password", b64("changed-" + SECRET_VALUE));
              return s;
            });

    ResourceResponse drifted = ask(request(ResourceRequestKind.DIFF));
    ObjectDiff cm = diffOf(drifted, "ConfigMap");
    assertThat(cm.getModified()).isTrue();
    assertThat(cm.getUnifiedDiff())
        .contains("--- live", "+++ desired", "-  greeting: edited by hand", "+  greeting: hello")
        .doesNotContain("resourceVersion", "managedFields");
    ObjectDiff secret = diffOf(drifted, "Secret");
    assertThat(secret.getModified()).isTrue();
    // Changed, and shown as changed, without either value.
    assertThat(secret.getUnifiedDiff()).contains("-  password: +++++++++", "+  password: ++++++++");
    assertThat(drifted.toString()).doesNotContain(b64(SECRET_VALUE)).doesNotContain(SECRET_VALUE);
    assertThat(diffOf(drifted, "Deployment").getModified()).isFalse();
  }

  @Test
  void objectsOutsideTheApplicationAndUnassignedApplicationsAreNotFound() {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("someone-elses")
                .endMetadata()
                .withData(Map.of("k", "v"))
                .build())
        .create();

    ResourceResponse foreign =
        ask(
            request(ResourceRequestKind.LIVE_OBJECT)
                .setObject(ref("", "ConfigMap", "someone-elses")));
    assertThat(foreign.getErrorCode()).isEqualTo("NOT_FOUND");
    assertThat(foreign.getError())
        .isEqualTo(
            "ConfigMap " + ns + "/someone-elses is not an object of application '" + APP + "'");

    ResourceResponse otherApp =
        ask(request(ResourceRequestKind.LIVE_MANIFESTS).setApplication("not-mine"));
    assertThat(otherApp.getErrorCode()).isEqualTo("NOT_FOUND");
    assertThat(otherApp.getError()).contains("'not-mine' is not assigned to this agent");

    ResourceResponse own =
        ask(request(ResourceRequestKind.LIVE_OBJECT).setObject(ref("", "ConfigMap", "cfg")));
    assertThat(own.getErrorCode()).isEmpty();
    assertThat(own.getObjects(0).getJson()).contains("hello");
  }

  @Test
  void podLogsOfTheDeploymentAndTheirEventsAreRead() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ResourceResponse logs =
                  ask(
                      request(ResourceRequestKind.LOGS)
                          .setObject(ref("apps", "Deployment", "web"))
                          .setLogs(LogOptions.newBuilder().setTailLines(5)));
              assertThat(logs.getErrorCode()).as(logs.getError()).isEmpty();
              assertThat(logs.getLogLinesList()).isNotEmpty();
              assertThat(logs.getLogLinesList())
                  .allSatisfy(l -> assertThat(l.getPod()).startsWith("web-"))
                  .allSatisfy(l -> assertThat(l.getContainer()).isEqualTo("web"));
            });
    ResourceResponse wrongContainer =
        ask(
            request(ResourceRequestKind.LOGS)
                .setObject(ref("apps", "Deployment", "web"))
                .setLogs(LogOptions.newBuilder().setContainer("sidecar")));
    assertThat(wrongContainer.getErrorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(wrongContainer.getError()).contains("no container 'sidecar'", "[web]");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ResourceResponse events =
                  ask(
                      request(ResourceRequestKind.EVENTS)
                          .setObject(ref("apps", "Deployment", "web")));
              assertThat(events.getErrorCode()).isEmpty();
              assertThat(events.getEventsList()).isNotEmpty();
            });
  }

  @Test
  void aFollowSendsPartsUntilCancelled() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> new ApplicationObjects(reconciler).read(APP, 1000, false).nodes().size() >= 6);
    ResourceRequest follow =
        request(ResourceRequestKind.LOGS)
            .setObject(ref("apps", "Deployment", "web"))
            .setLogs(LogOptions.newBuilder().setTailLines(1).setFollow(true))
            .build();
    proxy.answer(follow);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(sent)
                    .filteredOn(r -> r.getId().equals(follow.getId()))
                    .isNotEmpty()
                    .noneMatch(ResourceResponse::getLast));
    assertThat(proxy.following()).isEqualTo(1);

    proxy.cancel(follow.getId());

    assertThat(proxy.following()).isZero();
  }

  private ResourceResponse ask(ResourceRequest.Builder request) {
    ResourceRequest r = request.build();
    proxy.answer(r);
    List<ResourceResponse> parts = sent.stream().filter(p -> p.getId().equals(r.getId())).toList();
    assertThat(parts).isNotEmpty();
    assertThat(parts.get(parts.size() - 1).getLast()).isTrue();
    ResourceResponse.Builder all = ResourceResponse.newBuilder();
    parts.forEach(all::mergeFrom);
    return all.build();
  }

  private ResourceRequest.Builder request(ResourceRequestKind kind) {
    return ResourceRequest.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setApplication(APP)
        .setKind(kind);
  }

  private ObjectRef ref(String group, String kind, String name) {
    return ObjectRef.newBuilder()
        .setGroup(group)
        .setKind(kind)
        .setNamespace(ns)
        .setName(name)
        .build();
  }

  private static ObjectDiff diffOf(ResourceResponse r, String kind) {
    return r.getDiffsList().stream()
        .filter(d -> d.getRef().getKind().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  static String deployment(String name, int replicas) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\nspec:\n  replicas: "
        + replicas
        + "\n  selector:\n    matchLabels: {app: "
        + name
        + "}\n  template:\n    metadata:\n      labels: {app: "
        + name
        + "}\n    spec:\n      containers:\n      - name: "
        + name
        + "\n        image: nginx:1.27\n";
  }
}
