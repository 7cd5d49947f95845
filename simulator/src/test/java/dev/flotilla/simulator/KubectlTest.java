package dev.flotilla.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.BuiltinTypes;
import dev.flotilla.simulator.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32 on our machines) against a simulated cluster, with default flags.
 * Skipped, saying so, where no kubectl is on PATH.
 */
class KubectlTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir static Path dir;
  static SimulatedCluster cluster;
  static Path kubeconfig;
  static String kubectl;

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void start() throws IOException {
    kubectl = KubectlRunner.onPath();
    assumeTrue(kubectl != null, "no kubectl on PATH: the kubectl tests are skipped");
    cluster =
        SimulatedCluster.start(
            "kubectl-test", SimulatedClusterOptions.defaults().withoutControllers());
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Result run(String stdin, Map<String, String> env, String... args) throws Exception {
    KubectlRunner.Result r = new KubectlRunner(kubectl, kubeconfig, dir).run(stdin, env, args);
    return new Result(r.exit(), r.out(), r.err());
  }

  static Result kubectl(String... args) throws Exception {
    return run(null, Map.of(), args);
  }

  static Result ok(String... args) throws Exception {
    Result r = kubectl(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
    return r;
  }

  static Result apply(String yaml) throws Exception {
    Result r = run(yaml, Map.of(), "apply", "-f", "-");
    assertThat(r.exit()).as("kubectl apply\n%s", r.all()).isZero();
    return r;
  }

  static String namespace() throws Exception {
    String ns = "k" + NAMESPACES.incrementAndGet();
    ok("create", "namespace", ns);
    return ns;
  }

  static String deployment(String ns, String name, String app, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          labels: {app: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: main
                image: nginx:1.27
                ports: [{containerPort: 80}]
        """
        .formatted(name, ns, app, replicas, app, app);
  }

  static ObjectNode json(String text) throws IOException {
    return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void apiResourcesListsShortNames() throws Exception {
    String out = ok("api-resources").out();
    assertThat(out).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    assertThat(out).containsPattern("configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap");
    assertThat(out).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
  }

  @Test
  void createNamespaceThenGetIt() throws Exception {
    assertThat(ok("create", "namespace", "made-by-kubectl").out())
        .contains("namespace/made-by-kubectl created");
    assertThat(ok("get", "ns").out()).containsPattern("made-by-kubectl\\s+Active\\s+\\d+s");
  }

  @Test
  void createConfigMapAndSecretSendProtobufBodies() throws Exception {
    String ns = namespace();
    ok("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast");
    ok("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=hunter2");
    assertThat(ok("get", "cm", "settings", "-n", ns, "-o", "jsonpath={.data.mode}").out())
        .isEqualTo("fast");
    assertThat(ok("get", "secrets", "-n", ns).out())
        .containsPattern("creds\\s+Opaque\\s+1\\s+\\d+s");
    Result unsupported = kubectl("create", "serviceaccount", "robot", "-n", ns);
    assertThat(unsupported.exit()).isNotZero();
    assertThat(unsupported.err())
        .contains(
            "protobuf request bodies are simulated only for [Namespace, ConfigMap, Secret], not for ServiceAccount");
  }

  @Test
  void describeShowsDefaultsLikeARealServer() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    String out = ok("describe", "deployment", "web", "-n", ns).out();
    assertThat(out).containsPattern("StrategyType:\\s+RollingUpdate");
    assertThat(out).containsPattern("Port:\\s+80/TCP");
  }

  @Test
  void applyTwiceThenGetDeployAcrossNamespaces() throws Exception {
    String ns = namespace();
    assertThat(apply(deployment(ns, "web", "a", 2)).out()).contains("deployment.apps/web created");
    assertThat(apply(deployment(ns, "web", "a", 2)).out())
        .contains("deployment.apps/web unchanged");
    String out = ok("get", "deploy", "-A").out();
    assertThat(out).containsPattern("NAMESPACE\\s+NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
    assertThat(out).containsPattern(ns + "\\s+web\\s+0/2\\s+0\\s+0\\s+\\d+s");
  }

  @Test
  void getYamlShowsTheStoredObjectWithItsLastAppliedRecord() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    String yaml = ok("get", "deployment", "web", "-n", ns, "-o", "yaml").out();
    assertThat(yaml)
        .contains(
            "kind: Deployment",
            "kubectl.kubernetes.io/last-applied-configuration",
            "generation: 1",
            "uid: ");
  }

  @Test
  void getPodsWideShowsIpAndNode() throws Exception {
    String ns = namespace();
    ObjectStore store = cluster.store();
    store.create(
        BuiltinTypes.PODS,
        json(
            "{'metadata':{'name':'web-1','namespace':'"
                + ns
                + "'},'spec':{'nodeName':'sim-node-1','containers':[{'name':'main','image':'nginx'}]},"
                + "'status':{'phase':'Running','podIP':'10.244.1.7','containerStatuses':[{'name':'main','ready':true,'restartCount':2,'state':{'running':{}}}]}}"));
    String out = ok("get", "po", "-o", "wide", "-n", ns).out();
    assertThat(out).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE");
    assertThat(out)
        .containsPattern("web-1\\s+1/1\\s+Running\\s+2\\s+\\d+s\\s+10.244.1.7\\s+sim-node-1");
  }

  @Test
  void setBasedSelectorsAndDeleteByLabel() throws Exception {
    String ns = namespace();
    for (String app : List.of("a", "b", "c")) {
      apply(
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-"
              + app
              + ", namespace: "
              + ns
              + ", labels: {app: "
              + app
              + "}}\ndata: {k: v}\n");
    }
    String selected = ok("get", "cm", "-n", ns, "-l", "app in (a,b)", "-o", "name").out();
    assertThat(selected.lines()).containsExactly("configmap/cm-a", "configmap/cm-b");
    assertThat(ok("delete", "cm", "-n", ns, "-l", "app notin (a,b)").out())
        .contains("configmap \"cm-c\" deleted");
    assertThat(ok("get", "cm", "-n", ns, "-o", "name").out().lines())
        .containsExactly("configmap/cm-a", "configmap/cm-b");
  }

  @Test
  void getEventsShowsWhatHappened() throws Exception {
    String ns = namespace();
    cluster
        .store()
        .create(
            BuiltinTypes.EVENTS,
            json(
                "{'metadata':{'name':'web.1','namespace':'"
                    + ns
                    + "'},'type':'Normal','reason':'ScalingReplicaSet',"
                    + "'message':'Scaled up replica set web-abc to 2','involvedObject':{'kind':'Deployment','name':'web','namespace':'"
                    + ns
                    + "'},"
                    + "'source':{'component':'deployment-controller'},'count':1}"));
    String out = ok("get", "events", "-n", ns).out();
    assertThat(out).containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
    assertThat(out)
        .containsPattern(
            "Normal\\s+ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set web-abc to 2");
  }

  @Test
  void describeShowsTheDeploymentAndItsEvents() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 2));
    String out = ok("describe", "deployment", "web", "-n", ns).out();
    assertThat(out).containsPattern("Name:\\s+web");
    assertThat(out).containsPattern("Namespace:\\s+" + ns);
    assertThat(out).containsPattern("Replicas:\\s+2 desired");
    assertThat(out).contains("nginx:1.27");
  }

  @Test
  void logsOfAPodWithNoLinesIsEmpty() throws Exception {
    String ns = namespace();
    cluster
        .store()
        .create(
            BuiltinTypes.PODS,
            json(
                "{'metadata':{'name':'quiet','namespace':'"
                    + ns
                    + "'},'spec':{'containers':[{'name':'main','image':'nginx'}]}}"));
    assertThat(ok("logs", "quiet", "-n", ns).out()).isEmpty();
    Result wrong = kubectl("logs", "quiet", "-n", ns, "-c", "nope");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("container nope is not valid for pod quiet");
  }

  @Test
  void unknownTypesAndUnsimulatedSubresourcesAreClearErrors() throws Exception {
    Result unknown = kubectl("get", "widgets");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("the server doesn't have a resource type \"widgets\"");
    String ns = namespace();
    cluster
        .store()
        .create(
            BuiltinTypes.PODS,
            json(
                "{'metadata':{'name':'p','namespace':'"
                    + ns
                    + "'},'spec':{'containers':[{'name':'main','image':'nginx'}]}}"));
    Result exec = kubectl("get", "--raw", "/api/v1/namespaces/" + ns + "/pods/p/exec");
    assertThat(exec.exit()).isNotZero();
    assertThat(exec.err()).contains("the subresource \"exec\" of pods is not simulated");
  }

  @Test
  void scaleUsesTheScaleSubresource() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    assertThat(ok("scale", "deployment", "web", "-n", ns, "--replicas=5").out())
        .contains("deployment.apps/web scaled");
    assertThat(ok("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("5");
  }

  @Test
  void applyOfAChangePatchesTheObject() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    assertThat(apply(deployment(ns, "web", "a", 3)).out())
        .contains("deployment.apps/web configured");
    assertThat(ok("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("3");
  }

  @Test
  void patchWithTheDefaultStrategicType() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    ok(
        "patch",
        "deployment",
        "web",
        "-n",
        ns,
        "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.28\"}]}}}}");
    assertThat(
            ok(
                    "get",
                    "deploy",
                    "web",
                    "-n",
                    ns,
                    "-o",
                    "jsonpath={.spec.template.spec.containers[*].image}")
                .out())
        .isEqualTo("nginx:1.28");
  }

  @Test
  void editChangesTheObject() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    Result r =
        run(
            null,
            Map.of("KUBE_EDITOR", "sed -i s/replicas:\\ 1/replicas:\\ 4/"),
            "edit",
            "deployment",
            "web",
            "-n",
            ns);
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(ok("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("4");
  }

  @Test
  void serverSideApply() throws Exception {
    String ns = namespace();
    Result r = run(deployment(ns, "web", "a", 1), Map.of(), "apply", "--server-side", "-f", "-");
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.out()).contains("deployment.apps/web serverside-applied");
  }

  @Test
  void jsonAndMergePatchesWork() throws Exception {
    String ns = namespace();
    apply(deployment(ns, "web", "a", 1));
    ok(
        "patch",
        "deployment",
        "web",
        "-n",
        ns,
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");
    assertThat(
            ok(
                    "get",
                    "deploy",
                    "web",
                    "-n",
                    ns,
                    "-o",
                    "jsonpath={.spec.replicas} {.metadata.generation}")
                .out())
        .isEqualTo("3 2");
    Result merge =
        kubectl(
            "patch",
            "deployment",
            "web",
            "-n",
            ns,
            "--type=merge",
            "-p",
            "{\"spec\":{\"replicas\":4}}");
    assertThat(merge.exit()).as(merge.all()).isZero();
    assertThat(ok("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("4");
  }
}
