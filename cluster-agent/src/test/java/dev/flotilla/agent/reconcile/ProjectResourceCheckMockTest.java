package dev.flotilla.agent.reconcile;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.DestinationNamespace;
import dev.flotilla.proto.agent.v1.DestinationNamespaces;
import dev.flotilla.proto.agent.v1.ResourceRule;
import dev.flotilla.proto.agent.v1.ResourceRuleList;
import dev.flotilla.proto.agent.v1.ResourceRules;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The AppProject's resource-kind rules and destination namespaces, enforced by the agent before it
 * writes: a forbidden object fails the whole sync with no write request reaching the API server.
 */
@EnableKubernetesMockClient(crud = true)
class ProjectResourceCheckMockTest extends ReconcilerTestBase {

  static {
    QuietMockServer.quiet();
  }

  KubernetesMockServer server;
  KubernetesClient client;

  @Override
  KubernetesClient kubernetes() {
    return client;
  }

  static ResourceRule rule(String group, String kind) {
    return ResourceRule.newBuilder().setGroup(group).setKind(kind).build();
  }

  /** What the control plane sends for the implicit default project: every kind, no namespaces. */
  static ResourceRules allowAll(String project) {
    return ResourceRules.newBuilder().setProject(project).addClusterAllow(rule("*", "*")).build();
  }

  static ResourceRules.Builder project() {
    return ResourceRules.newBuilder().setProject("team-a");
  }

  AppSpec app(String syncPolicy, ResourceRules rules) {
    return app(ns, syncPolicy, rules);
  }

  AppSpec app(String namespace, String syncPolicy, ResourceRules rules) {
    return AppSpec.parse(
            "a",
            "team-a",
            "{\"source\":{\"repoURL\":\"https://git.example/infra.git\",\"path\":\"apps/a\"},"
                + "\"destination\":{\"namespace\":\""
                + namespace
                + "\"},\"syncPolicy\":"
                + syncPolicy
                + "}")
        .withResourceRules(rules);
  }

  static final String PRUNE = "{\"automated\":{\"prune\":true}}";

  ReconcileResult sync(AppSpec app) {
    return reconciler.reconcile(app, repo.root, "abc123", true);
  }

  /** Forgets every request the mock server recorded so far. */
  void drainRequests() throws InterruptedException {
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // discard
    }
  }

  /** The write requests (anything but GET) recorded since the last drain. */
  List<String> writes() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!r.getMethod().equals("GET")) {
        out.add(r.getMethod() + " " + r.getPath());
      }
    }
    return out;
  }

  static String deployment(String name) {
    return ReconcileBenchmark.deployment(name, 1);
  }

  @Test
  void aHookOfAKindTheProjectDeniesFailsTheSyncBeforeAnyWrite() throws Exception {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"))
        .write(
            "apps/a/migrate.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n"
                + "  annotations:\n    argocd.argoproj.io/hook: PreSync\n");
    ResourceRules rules = project().addNamespaceDeny(rule("batch", "Job")).build();
    drainRequests();

    ReconcileResult result = sync(app(PRUNE, rules));

    assertThat(writes()).as("no write may reach the API server").isEmpty();
    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .startsWith("sync refused, nothing applied")
        .contains("resource batch:Job " + ns + "/migrate-* is not permitted in project 'team-a'");
  }

  @Test
  void aBlacklistedNamespacedKindFailsTheWholeSyncBeforeAnyWrite() throws Exception {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"))
        .write("apps/a/d.yaml", deployment("web"));
    ResourceRules rules = project().addNamespaceDeny(rule("apps", "Deployment")).build();
    drainRequests();

    ReconcileResult result = sync(app(PRUNE, rules));

    assertThat(writes()).as("no write may reach the API server").isEmpty();
    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .startsWith("sync refused, nothing applied")
        .contains(
            "resource apps:Deployment "
                + ns
                + "/web is not permitted in project 'team-a' (namespaced; denied by"
                + " namespaceResourceBlacklist entry {group: 'apps', kind: 'Deployment'})");
    assertThat(client.configMaps().inNamespace(ns).withName("cfg").get())
        .as("the permitted ConfigMap is not applied either")
        .isNull();
    assertThat(result.resources())
        .filteredOn(r -> r.key().kind().equals("Deployment"))
        .extracting(ResourceLine::message)
        .singleElement()
        .asString()
        .contains("not permitted in project 'team-a'");
    assertThat(reconciler.desiredState("a")).isEmpty();
  }

  @Test
  void withoutAClusterWhitelistClusterScopedKindsAreRefused() throws Exception {
    repo.write(
            "apps/a/role.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "
                + ns
                + "-reader\nrules: []\n")
        .write(
            "apps/a/ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "-extra\n")
        .write("apps/a/cm.yaml", configMap("cfg"));
    drainRequests();

    ReconcileResult result = sync(app(PRUNE, project().build()));

    assertThat(writes()).isEmpty();
    assertThat(result.failed()).isTrue();
    assertThat(result.message())
        .contains("resource rbac.authorization.k8s.io:ClusterRole " + ns + "-reader")
        .contains("resource :Namespace " + ns + "-extra")
        .contains("no clusterResourceWhitelist entries");
    assertThat(client.rbac().clusterRoles().withName(ns + "-reader").get()).isNull();
    assertThat(client.namespaces().withName(ns + "-extra").get()).isNull();
  }

  @Test
  void globRulesPermitWhatTheyMatch() {
    repo.write(
            "apps/a/role.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "
                + ns
                + "-reader\nrules: []\n")
        .write("apps/a/cm.yaml", configMap("cfg"))
        .write("apps/a/d.yaml", deployment("web"));
    ResourceRules rules =
        project()
            .addClusterAllow(rule("rbac.*", "Cluster*"))
            .setNamespaceAllow(
                ResourceRuleList.newBuilder()
                    .addRules(rule("", "*"))
                    .addRules(rule("apps", "Deploy*")))
            .build();

    ReconcileResult result = sync(app(PRUNE, rules));

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(client.rbac().clusterRoles().withName(ns + "-reader").get()).isNotNull();
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNotNull();

    // The same project without the Deployment entry refuses the next sync.
    ResourceRules narrower =
        project()
            .addClusterAllow(rule("rbac.*", "Cluster*"))
            .setNamespaceAllow(ResourceRuleList.newBuilder().addRules(rule("", "*")))
            .build();
    assertThat(sync(app(PRUNE, narrower)).message())
        .contains("no namespaceResourceWhitelist entry matches it");
  }

  @Test
  void aNarrowedProjectNeverPrunesAndSelfHealNeverRestoresAForbiddenObject() throws Exception {
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"))
        .write("apps/a/old.yaml", configMap("old"))
        .write("apps/a/d.yaml", deployment("web"));
    String selfHeal = "{\"automated\":{\"prune\":true,\"selfHeal\":true}}";
    // Self-heal reconciles the whole Application as last assigned, one at a time (the queue).
    java.util.concurrent.atomic.AtomicReference<AppSpec> assigned =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.ExecutorService queue =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (var watcher =
        new dev.flotilla.agent.reconcile.drift.DriftWatcher(
                reconciler, d -> {}, a -> queue.execute(() -> sync(assigned.get())))
            .start()) {
      assigned.set(app(selfHeal, allowAll("team-a")));
      ReconcileResult first = sync(assigned.get());
      assertThat(first.failed()).as(first.message()).isFalse();

      // Git drops "old" (a prune candidate) while the project stops permitting Deployments.
      repo.delete("apps/a/old.yaml");
      drainRequests();
      assigned.set(app(selfHeal, project().addNamespaceDeny(rule("apps", "*")).build()));
      ReconcileResult refused = sync(assigned.get());

      assertThat(refused.failed()).isTrue();
      assertThat(refused.message()).contains("apps:Deployment " + ns + "/web");
      assertThat(writes()).as("neither apply nor prune").isEmpty();
      assertThat(client.configMaps().inNamespace(ns).withName("old").get()).isNotNull();

      // Someone deletes the forbidden Deployment: self-heal must not bring it back.
      client.apps().deployments().inNamespace(ns).withName("web").delete();
      Awaitility.await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> client.apps().deployments().inNamespace(ns).withName("web").get() == null);
    } finally {
      queue.shutdownNow();
    }
  }

  @Test
  void createNamespaceNeedsTheProjectToPermitNamespaces() throws Exception {
    String fresh = ns + "-new";
    repo.write("apps/a/cm.yaml", configMap("cfg"));
    String policy = "{\"automated\":{\"prune\":true},\"syncOptions\":[\"CreateNamespace=true\"]}";
    drainRequests();

    ReconcileResult refused = sync(app(fresh, policy, project().build()));

    assertThat(writes()).isEmpty();
    assertThat(refused.message())
        .contains("resource :Namespace " + fresh + " is not permitted in project 'team-a'")
        .contains("CreateNamespace=true");
    assertThat(client.namespaces().withName(fresh).get()).isNull();

    ReconcileResult allowed =
        sync(app(fresh, policy, project().addClusterAllow(rule("", "Namespace")).build()));
    assertThat(allowed.failed()).as(allowed.message()).isFalse();
    assertThat(client.namespaces().withName(fresh).get()).isNotNull();
    // Once it exists the sync creates nothing cluster-scoped, so the project need not permit it.
    assertThat(sync(app(fresh, policy, project().build())).failed()).isFalse();
  }

  @Test
  void anUnknownKindMustBePermittedBothWaysUnlessItsDefinitionIsKnown() throws Exception {
    String widget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec: {}\n";
    repo.write("apps/a/g.yaml", widget);
    drainRequests();

    ReconcileResult unknown = sync(app(PRUNE, project().build()));

    assertThat(writes()).isEmpty();
    assertThat(unknown.message())
        .contains("resource example.com:Gadget")
        .contains("scope unknown, so it must be permitted both cluster-scoped and namespaced");

    // A CustomResourceDefinition rendered alongside places the kind.
    repo.write(
        "apps/a/crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            + "  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
            + "  names: {kind: Gadget, plural: gadgets, singular: gadget}\n"
            + "  versions: [{name: v1, served: true, storage: true}]\n");
    ReconcileResult withCrd =
        sync(
            app(
                PRUNE,
                project()
                    .addClusterAllow(rule("apiextensions.k8s.io", "CustomResourceDefinition"))
                    .build()));
    assertThat(withCrd.failed()).as(withCrd.message()).isFalse();
  }

  @Test
  void aClusterScopedCustomResourceIsCheckedAgainstTheClusterRules() throws Exception {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("tenants.example.com")
                .endMetadata()
                .withNewSpec()
                .withGroup("example.com")
                .withScope("Cluster")
                .withNewNames()
                .withKind("Tenant")
                .withPlural("tenants")
                .withSingular("tenant")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build())
        .createOr(c -> c.update());
    repo.write(
        "apps/a/t.yaml", "apiVersion: example.com/v1\nkind: Tenant\nmetadata:\n  name: acme\n");
    drainRequests();

    ReconcileResult refused = sync(app(PRUNE, project().build()));

    assertThat(writes()).isEmpty();
    assertThat(refused.message())
        .contains("resource example.com:Tenant acme is not permitted")
        .contains("cluster-scoped");
    ReconcileResult allowed =
        sync(app(PRUNE, project().addClusterAllow(rule("example.com", "*")).build()));
    assertThat(allowed.failed()).as(allowed.message()).isFalse();
    assertThat(client.genericKubernetesResources("example.com/v1", "Tenant").withName("acme").get())
        .isNotNull();
  }

  /** Destinations as the control plane sends them for this cluster (every entry matches it). */
  static DestinationNamespaces destinations(String... namespacePatterns) {
    DestinationNamespaces.Builder b = DestinationNamespaces.newBuilder();
    for (String p : namespacePatterns) {
      b.addEntries(DestinationNamespace.newBuilder().setNamespace(p).setClusterMatched(true));
    }
    return b.build();
  }

  /** Every kind permitted, namespaces limited to the given destination patterns. */
  static ResourceRules onlyNamespaces(String... namespacePatterns) {
    return allowAll("team-a").toBuilder().setDestinations(destinations(namespacePatterns)).build();
  }

  static String inNamespace(String manifest, String namespace) {
    return manifest.replaceFirst("metadata:\n", "metadata:\n  namespace: " + namespace + "\n");
  }

  String teamNamespace() {
    String name = "team-a-" + ns;
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  @Test
  void anObjectWrittenIntoANamespaceTheProjectDoesNotPermitRefusesTheWholeSync() throws Exception {
    String team = teamNamespace();
    repo.write("apps/a/cm.yaml", configMap("cfg", "k", "v"))
        .write("apps/a/old.yaml", configMap("old"));
    ReconcileResult first = sync(app(team, PRUNE, onlyNamespaces("team-a-*")));
    assertThat(first.failed()).as(first.message()).isFalse();
    assertThat(client.configMaps().inNamespace(team).withName("old").get()).isNotNull();

    // Git drops "old" (a prune candidate) and adds a Deployment aimed at kube-system.
    repo.delete("apps/a/old.yaml")
        .write("apps/a/cm.yaml", configMap("cfg", "k", "changed"))
        .write("apps/a/d.yaml", inNamespace(deployment("web"), "kube-system"));
    drainRequests();

    ReconcileResult refused = sync(app(team, PRUNE, onlyNamespaces("team-a-*")));

    assertThat(writes()).as("neither apply nor prune").isEmpty();
    assertThat(refused.failed()).isTrue();
    assertThat(refused.message())
        .startsWith("sync refused, nothing applied")
        .contains(
            "resource apps:Deployment kube-system/web: namespace kube-system is not permitted in"
                + " project 'team-a' (destinations on this cluster permit 'team-a-*')");
    assertThat(refused.resources())
        .filteredOn(r -> r.key().kind().equals("Deployment"))
        .extracting(ResourceLine::message)
        .singleElement()
        .asString()
        .contains("namespace kube-system is not permitted in project 'team-a'");
    assertThat(client.apps().deployments().inNamespace("kube-system").withName("web").get())
        .isNull();
    assertThat(client.configMaps().inNamespace(team).withName("cfg").get().getData())
        .containsEntry("k", "v");
    assertThat(client.configMaps().inNamespace(team).withName("old").get()).isNotNull();
    assertThat(reconciler.desiredState("a")).isEmpty();

    // Widening the destinations lets the same render apply.
    ReconcileResult widened = sync(app(team, PRUNE, onlyNamespaces("team-a-*", "kube-system")));
    assertThat(widened.failed()).as(widened.message()).isFalse();
    assertThat(client.apps().deployments().inNamespace("kube-system").withName("web").get())
        .isNotNull();
  }

  @Test
  void anUnsetNamespaceIsTheDestinationsAndNamespaceObjectsAreJudgedAsKinds() throws Exception {
    // The Application's own destination is outside the project: its unqualified objects are too.
    repo.write("apps/a/cm.yaml", configMap("cfg"));
    drainRequests();

    ReconcileResult refused = sync(app(PRUNE, onlyNamespaces("team-a-*")));

    assertThat(writes()).isEmpty();
    assertThat(refused.message())
        .contains("resource :ConfigMap " + ns + "/cfg: namespace " + ns + " is not permitted");

    // A Namespace called kube-system is a cluster-scoped object: only the kind rules apply.
    repo.delete("apps/a/cm.yaml")
        .write(
            "apps/a/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "-x\n");
    ReconcileResult namespaceObject = sync(app(PRUNE, onlyNamespaces("team-a-*")));
    assertThat(namespaceObject.failed()).as(namespaceObject.message()).isFalse();
    assertThat(client.namespaces().withName(ns + "-x").get()).isNotNull();
  }

  @Test
  void negatedNamespacesAndUnknownKindsAreRefusedToo() throws Exception {
    String team = teamNamespace();
    repo.write(
        "apps/a/g.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n"
            + "  namespace: kube-public\nspec: {}\n");
    drainRequests();

    ReconcileResult refused = sync(app(team, PRUNE, onlyNamespaces("*", "!kube-*")));

    assertThat(writes()).isEmpty();
    assertThat(refused.message())
        .contains(
            "resource example.com:Widget kube-public/w1: namespace kube-public is not permitted"
                + " in project 'team-a' (excluded by destination namespace '!kube-*')");
  }

  @Test
  void rulesWithoutDestinationsLeaveNamespacesUnchecked() {
    // What a control plane older than destination namespaces sends, and the undefined default.
    repo.write("apps/a/cm.yaml", inNamespace(configMap("cfg"), "kube-system"));

    ReconcileResult result = sync(app(PRUNE, allowAll("default")));

    assertThat(result.failed()).as(result.message()).isFalse();
    assertThat(client.configMaps().inNamespace("kube-system").withName("cfg").get()).isNotNull();
  }
}
