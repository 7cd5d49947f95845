package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodLifecycleTest {

  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private static String pod(String name, String image) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: %s}}
        spec:
          containers:
          - {name: main, image: "%s"}
        """
        .formatted(name, name, image);
  }

  private JsonNode container(String pod) {
    return sim.get(TestTypes.PODS, "default", pod).path("status").path("containerStatuses").path(0);
  }

  @Test
  void theClusterHasThreeReadySimulatedNodes() {
    List<ObjectNode> nodes = sim.list(TestTypes.NODES, null, n -> true);
    assertThat(nodes)
        .extracting(Meta::name)
        .containsExactly("sim-node-1", "sim-node-2", "sim-node-3");
    for (ObjectNode node : nodes) {
      assertThat(Meta.labels(node))
          .containsEntry("kubernetes.io/hostname", Meta.name(node))
          .containsEntry("flotilla.dev/simulated", "true");
      assertThat(Meta.condition(node, "Ready").path("status").asText()).isEqualTo("True");
    }
  }

  @Test
  void aPodIsScheduledGetsAnIpAndBecomesRunningAndReadyAfterTheDelay() {
    sim.create(TestTypes.PODS, pod("hello", "nginx:1.27"));

    eventually()
        .untilAsserted(
            () -> {
              ObjectNode p = sim.get(TestTypes.PODS, "default", "hello");
              assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
              assertThat(PodTemplates.ready(p)).isTrue();
            });
    ObjectNode p = sim.get(TestTypes.PODS, "default", "hello");
    String node = p.path("spec").path("nodeName").asText();
    assertThat(node).matches("sim-node-[123]");
    assertThat(p.path("status").path("podIP").asText()).matches("10\\.244\\.[123]\\.\\d+");
    assertThat(p.path("status").path("hostIP").asText()).matches("172\\.18\\.0\\.[234]");
    JsonNode cs = p.path("status").path("containerStatuses").path(0);
    assertThat(cs.path("ready").asBoolean()).isTrue();
    assertThat(cs.path("image").asText()).isEqualTo("docker.io/library/nginx:1.27");
    assertThat(cs.path("state").has("running")).isTrue();
    assertThat(Meta.condition(p, "PodScheduled").path("status").asText()).isEqualTo("True");
    // Events follow the status write that caused them.
    eventually()
        .untilAsserted(
            () ->
                assertThat(sim.reasons("default", "hello"))
                    .contains("Scheduled", "Pulling", "Pulled", "Created", "Started"));
    ObjectNode scheduled =
        sim.events("default", "hello").stream()
            .filter(e -> e.path("reason").asText().equals("Scheduled"))
            .findFirst()
            .orElseThrow();
    assertThat(scheduled.path("message").asText())
        .isEqualTo("Successfully assigned default/hello to " + node);
    assertThat(scheduled.path("source").path("component").asText()).isEqualTo("default-scheduler");
    assertThat(scheduled.path("involvedObject").path("kind").asText()).isEqualTo("Pod");
    assertThat(scheduled.path("count").asInt()).isEqualTo(1);
    assertThat(scheduled.path("firstTimestamp").asText()).isNotEmpty();
  }

  @Test
  void aCrashloopImageRestartsWithABackOffAndNeverBecomesReady() {
    sim.create(TestTypes.PODS, pod("crash", "example.com/team/crashloop:2"));

    eventually()
        .untilAsserted(
            () -> {
              JsonNode cs = container("crash");
              assertThat(cs.path("state").path("waiting").path("reason").asText())
                  .isEqualTo("CrashLoopBackOff");
              assertThat(cs.path("restartCount").asInt()).isGreaterThanOrEqualTo(3);
              assertThat(cs.path("lastState").path("terminated").path("exitCode").asInt())
                  .isEqualTo(1);
            });
    ObjectNode p = sim.get(TestTypes.PODS, "default", "crash");
    assertThat(PodTemplates.ready(p)).isFalse();
    assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
    eventually()
        .untilAsserted(() -> assertThat(sim.reasons("default", "crash")).contains("BackOff"));
    ObjectNode backOff =
        sim.events("default", "crash").stream()
            .filter(e -> e.path("reason").asText().equals("BackOff"))
            .findFirst()
            .orElseThrow();
    assertThat(backOff.path("type").asText()).isEqualTo("Warning");
    assertThat(backOff.path("involvedObject").path("fieldPath").asText())
        .isEqualTo("spec.containers{main}");
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        sim.events("default", "crash").stream()
                            .filter(e -> e.path("reason").asText().equals("BackOff"))
                            .mapToInt(e -> e.path("count").asInt())
                            .max()
                            .orElse(0))
                    .isGreaterThan(1));
  }

  @Test
  void anImageThatDoesNotExistFailsToPullAndBacksOff() {
    sim.create(TestTypes.PODS, pod("nopull", "registry.example/does-not-exist:1"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        container("nopull").path("state").path("waiting").path("reason").asText())
                    .isEqualTo("ImagePullBackOff"));
    ObjectNode p = sim.get(TestTypes.PODS, "default", "nopull");
    assertThat(p.path("status").path("phase").asText()).isEqualTo("Pending");
    assertThat(PodTemplates.ready(p)).isFalse();
    eventually()
        .untilAsserted(
            () ->
                assertThat(sim.events("default", "nopull"))
                    .extracting(e -> e.path("message").asText())
                    .contains("Error: ErrImagePull", "Error: ImagePullBackOff")
                    .anyMatch(
                        m ->
                            m.startsWith(
                                "Failed to pull image \"registry.example/does-not-exist:1\"")));
  }

  @Test
  void aPodNoNodeFitsStaysPendingAndSaysWhy() {
    sim.create(TestTypes.PODS, pod("picky", "nginx") + "  nodeSelector: {disktype: ssd}\n");

    eventually()
        .untilAsserted(
            () -> {
              JsonNode scheduled =
                  Meta.condition(sim.get(TestTypes.PODS, "default", "picky"), "PodScheduled");
              assertThat(scheduled.path("reason").asText()).isEqualTo("Unschedulable");
              assertThat(scheduled.path("message").asText())
                  .isEqualTo(
                      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
            });
    eventually()
        .untilAsserted(
            () -> assertThat(sim.reasons("default", "picky")).contains("FailedScheduling"));
  }

  @Test
  void optionsAreCheckedAndTheNodeCountIsConfigurable() {
    assertThatThrownBy(() -> ControllerOptions.defaults().withNodeCount(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodeCount must be between 1 and 100, was 0");
    assertThatThrownBy(() -> ControllerOptions.defaults().withPodReadyDelay(Duration.ofMillis(-1)))
        .hasMessageContaining("podReadyDelay must not be negative");
    TestStore store = new TestStore();
    try (ControllerManager m =
        ControllerManager.start(store, ControllerOptions.defaults().withNodeCount(5))) {
      assertThat(store.all(TestTypes.NODES, null)).hasSize(5);
    }
  }

  @Test
  void aStoreWithoutTheWorkloadTypesIsRefusedByName() {
    TestStore bare = new TestStore(List.of(TestTypes.PODS, TestTypes.NODES));
    assertThatThrownBy(() -> ControllerManager.start(bare, ControllerOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deployments.apps");
  }
}
