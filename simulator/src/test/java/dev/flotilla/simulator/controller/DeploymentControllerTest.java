package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.WatchEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private List<ObjectNode> replicaSets(JsonNode deployment) {
    return sim.list(TestTypes.REPLICASETS, "default", PodTemplates.ownedBy(deployment));
  }

  private void awaitComplete(String name, int replicas) {
    eventually()
        .untilAsserted(
            () -> {
              ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", name);
              JsonNode status = d.path("status");
              assertThat(status.path("observedGeneration").asLong()).isEqualTo(Meta.generation(d));
              assertThat(status.path("updatedReplicas").asInt()).isEqualTo(replicas);
              assertThat(status.path("availableReplicas").asInt()).isEqualTo(replicas);
              assertThat(status.path("replicas").asInt()).isEqualTo(replicas);
              assertThat(Meta.condition(d, "Progressing").path("reason").asText())
                  .isEqualTo("NewReplicaSetAvailable");
            });
  }

  private void update(String name, java.util.function.Consumer<ObjectNode> change) {
    ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", name);
    change.accept(d);
    sim.store.update(TestTypes.DEPLOYMENTS, d);
  }

  @Test
  void aDeploymentGetsAReplicaSetAndReadyPodsWithTheRealControllersStatus() {
    ObjectNode d = sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("web", 3, "nginx:1.27"));

    awaitComplete("web", 3);

    List<ObjectNode> sets = replicaSets(d);
    assertThat(sets).hasSize(1);
    ObjectNode rs = sets.get(0);
    String hash = Meta.labels(rs).get("pod-template-hash");
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(Meta.name(rs)).isEqualTo("web-" + hash);
    assertThat(
            rs.path("metadata")
                .path("annotations")
                .path("deployment.kubernetes.io/revision")
                .asText())
        .isEqualTo("1");
    JsonNode owner = rs.path("metadata").path("ownerReferences").get(0);
    assertThat(owner.path("kind").asText()).isEqualTo("Deployment");
    assertThat(owner.path("uid").asText()).isEqualTo(Meta.uid(d));
    assertThat(owner.path("controller").asBoolean()).isTrue();
    assertThat(
            rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText())
        .isEqualTo(hash);

    List<ObjectNode> pods = sim.podsOf(rs);
    assertThat(pods).hasSize(3);
    for (ObjectNode pod : pods) {
      assertThat(Meta.name(pod)).matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(Meta.labels(pod))
          .containsEntry("pod-template-hash", hash)
          .containsEntry("app", "web");
      assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
      assertThat(PodTemplates.ready(pod)).isTrue();
    }
    ObjectNode live = sim.get(TestTypes.DEPLOYMENTS, "default", "web");
    assertThat(live.path("status").path("readyReplicas").asInt()).isEqualTo(3);
    assertThat(live.path("status").has("unavailableReplicas")).isFalse();
    JsonNode available = Meta.condition(live, "Available");
    assertThat(available.path("status").asText()).isEqualTo("True");
    assertThat(available.path("reason").asText()).isEqualTo("MinimumReplicasAvailable");
    assertThat(Meta.condition(live, "Progressing").path("message").asText())
        .isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");
    assertThat(sim.reasons("default", "web")).contains("ScalingReplicaSet");
    assertThat(sim.reasons("default", Meta.name(rs))).contains("SuccessfulCreate");
  }

  @Test
  void aTemplateChangeRollsOverToANewReplicaSetWithoutDroppingBelowTheMinimum() {
    sim.create(
        TestTypes.DEPLOYMENTS,
        SimFixture.deployment("api", 3, "nginx:1.27")
            .replace(
                "  replicas: 3\n",
                "  replicas: 3\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"));
    awaitComplete("api", 3);
    ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "api");
    String oldRs = Meta.name(replicaSets(d).get(0));
    AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger mostPods = new AtomicInteger();
    AutoCloseable watch =
        sim.store.watch(
            TestTypes.PODS,
            e -> {
              List<ObjectNode> pods =
                  sim.list(TestTypes.PODS, "default", p -> "api".equals(Meta.labels(p).get("app")));
              fewestReady.accumulateAndGet(
                  (int) pods.stream().filter(PodTemplates::ready).count(), Math::min);
              mostPods.accumulateAndGet(pods.size(), Math::max);
            });

    update(
        "api",
        o -> ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "nginx:1.28"));

    awaitComplete("api", 3);
    List<ObjectNode> sets = replicaSets(d);
    assertThat(sets).hasSize(2);
    ObjectNode newRs =
        sets.stream().filter(rs -> !Meta.name(rs).equals(oldRs)).findFirst().orElseThrow();
    assertThat(DeploymentController.revision(newRs)).isEqualTo(2);
    assertThat(DeploymentController.revision(sim.get(TestTypes.DEPLOYMENTS, "default", "api")))
        .isEqualTo(2);
    assertThat(Meta.replicas(sim.get(TestTypes.REPLICASETS, "default", oldRs))).isZero();
    eventually()
        .untilAsserted(
            () ->
                assertThat(sim.list(TestTypes.PODS, "default", p -> Meta.name(p).startsWith(oldRs)))
                    .isEmpty());
    assertThat(sim.podsOf(newRs)).hasSize(3).allMatch(PodTemplates::ready);
    assertThat(fewestReady.get())
        .as("maxUnavailable 0 keeps 3 ready pods")
        .isGreaterThanOrEqualTo(3);
    assertThat(mostPods.get()).as("maxSurge 1 allows 4 pods at most").isLessThanOrEqualTo(4);
    assertThat(sim.events("default", "api"))
        .extracting(e -> e.path("message").asText())
        .contains("Scaled up replica set " + Meta.name(newRs) + " from 0 to 1")
        .contains("Scaled down replica set " + oldRs + " from 3 to 2");
    close(watch);

    // Back to the first template: its ReplicaSet becomes revision 3, no third ReplicaSet appears.
    update(
        "api",
        o -> ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "nginx:1.27"));
    awaitComplete("api", 3);
    assertThat(replicaSets(d)).hasSize(2);
    assertThat(DeploymentController.revision(sim.get(TestTypes.REPLICASETS, "default", oldRs)))
        .isEqualTo(3);
  }

  @Test
  void scalingUpAndDownChangesThePods() {
    ObjectNode d = sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("scale", 2, "nginx"));
    awaitComplete("scale", 2);

    update("scale", o -> ((ObjectNode) o.path("spec")).put("replicas", 5));
    awaitComplete("scale", 5);
    assertThat(sim.podsOf(replicaSets(d).get(0))).hasSize(5);

    update("scale", o -> ((ObjectNode) o.path("spec")).put("replicas", 1));
    awaitComplete("scale", 1);
    ObjectNode rs = replicaSets(d).get(0);
    eventually().untilAsserted(() -> assertThat(sim.podsOf(rs)).hasSize(1));
    eventually()
        .untilAsserted(
            () -> assertThat(sim.reasons("default", Meta.name(rs))).contains("SuccessfulDelete"));
  }

  @Test
  void recreateRemovesEveryOldPodBeforeTheFirstNewOne() {
    sim.create(
        TestTypes.DEPLOYMENTS,
        SimFixture.deployment("batch", 2, "nginx:1")
            .replace("  replicas: 2\n", "  replicas: 2\n  strategy: {type: Recreate}\n"));
    awaitComplete("batch", 2);
    AtomicInteger oldAlive = new AtomicInteger(-1);
    AutoCloseable watch =
        sim.store.watch(
            TestTypes.PODS,
            e -> {
              if (e.type() == WatchEvent.Type.ADDED && oldAlive.get() < 0) {
                oldAlive.set(
                    sim.list(
                            TestTypes.PODS,
                            "default",
                            p ->
                                p.path("spec")
                                    .path("containers")
                                    .path(0)
                                    .path("image")
                                    .asText()
                                    .equals("nginx:1"))
                        .size());
              }
            });

    update(
        "batch",
        o -> ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "nginx:2"));

    awaitComplete("batch", 2);
    assertThat(oldAlive.get()).isZero();
    close(watch);
  }

  @Test
  void aPausedDeploymentDoesNotRollOutUntilResumed() {
    ObjectNode d = sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("paused", 1, "nginx:1"));
    awaitComplete("paused", 1);

    update(
        "paused",
        o -> {
          ((ObjectNode) o.path("spec")).put("paused", true);
          ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "nginx:2");
        });
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        Meta.condition(
                                sim.get(TestTypes.DEPLOYMENTS, "default", "paused"), "Progressing")
                            .path("reason")
                            .asText())
                    .isEqualTo("DeploymentPaused"));
    assertThat(replicaSets(d)).hasSize(1);

    update("paused", o -> ((ObjectNode) o.path("spec")).put("paused", false));
    awaitComplete("paused", 1);
    assertThat(replicaSets(d)).hasSize(2);
  }

  @Test
  void crashingPodsMakeTheDeploymentUnavailableAndMissItsProgressDeadline() {
    sim.create(
        TestTypes.DEPLOYMENTS,
        SimFixture.deployment("broken", 2, "example/crashloop:1")
            .replace("  replicas: 2\n", "  replicas: 2\n  progressDeadlineSeconds: 1\n"));

    eventually()
        .untilAsserted(
            () -> {
              ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "broken");
              JsonNode available = Meta.condition(d, "Available");
              assertThat(available.path("status").asText()).isEqualTo("False");
              assertThat(available.path("reason").asText()).isEqualTo("MinimumReplicasUnavailable");
              assertThat(d.path("status").path("unavailableReplicas").asInt()).isEqualTo(2);
              JsonNode progressing = Meta.condition(d, "Progressing");
              assertThat(progressing.path("status").asText()).isEqualTo("False");
              assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
            });
    assertThat(sim.manager.failedReconciles()).as(sim.manager.lastFailure()).isZero();
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
