package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.StoreException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrentWriterTest {

  @Test
  void anotherWriterChangingTheSpecNeverLosesAnUpdateNorMakesTheControllerThrow() throws Exception {
    try (SimFixture sim = new SimFixture()) {
      sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("busy", 1, "nginx"));
      int rounds = 300;
      CompletableFuture<Integer> writer =
          CompletableFuture.supplyAsync(
              () -> {
                int conflicts = 0;
                for (int i = 1; i <= rounds; i++) {
                  while (true) {
                    ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "busy");
                    ((ObjectNode) d.path("spec")).put("replicas", 1 + i % 4);
                    Meta.obj(Meta.metadata(d), "annotations").put("round", String.valueOf(i));
                    try {
                      sim.store.update(TestTypes.DEPLOYMENTS, d);
                      break;
                    } catch (StoreException.Conflict e) {
                      conflicts++;
                    }
                  }
                }
                return conflicts;
              });
      writer.get();

      ObjectNode last = sim.get(TestTypes.DEPLOYMENTS, "default", "busy");
      assertThat(last.at("/metadata/annotations/round").asText()).isEqualTo(String.valueOf(rounds));
      int finalReplicas = 1 + rounds % 4;
      assertThat(last.at("/spec/replicas").asInt()).isEqualTo(finalReplicas);
      eventually()
          .untilAsserted(
              () -> {
                ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "busy");
                assertThat(d.at("/status/observedGeneration").asLong())
                    .isEqualTo(Meta.generation(d));
                assertThat(d.at("/status/availableReplicas").asInt()).isEqualTo(finalReplicas);
                assertThat(
                        sim.list(
                            TestTypes.PODS,
                            "default",
                            p ->
                                PodTemplates.active(p) && "busy".equals(Meta.labels(p).get("app"))))
                    .hasSize(finalReplicas);
              });
      assertThat(sim.manager.failedReconciles()).as(sim.manager.lastFailure()).isZero();
    }
  }

  @Test
  void aStatusWriteThatMeetsANewerSpecRetriesAndKeepsTheSpec() {
    try (SimFixture sim = new SimFixture()) {
      int[] round = {0};
      sim.store.interfereWithStatusWrites(
          TestTypes.DEPLOYMENTS,
          4,
          d -> {
            round[0]++;
            Meta.obj(Meta.metadata(d), "annotations").put("round", String.valueOf(round[0]));
            ((ObjectNode) d.path("spec")).put("replicas", 2);
            sim.store.update(TestTypes.DEPLOYMENTS, d);
          });

      sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("raced", 1, "nginx"));

      eventually()
          .untilAsserted(
              () -> {
                ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "raced");
                assertThat(d.at("/status/observedGeneration").asLong())
                    .isEqualTo(Meta.generation(d));
                assertThat(d.at("/status/availableReplicas").asInt()).isEqualTo(2);
              });
      assertThat(sim.store.interferencesLeft()).isZero();
      ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "raced");
      assertThat(d.at("/metadata/annotations/round").asText()).isEqualTo("4");
      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(2);
      assertThat(sim.manager.failedReconciles()).as(sim.manager.lastFailure()).isZero();
    }
  }
}
