package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reconciling a converged cluster again must write nothing: no status ping-pong, no hot loop. */
class QuiescenceTest {

  @Test
  void aConvergedClusterStopsWriting() {
    try (SimFixture sim = new SimFixture()) {
      sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("web", 2, "nginx"));
      sim.create(
          TestTypes.SERVICES,
          "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\n"
              + "spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}");
      sim.create(
          TestTypes.DAEMONSETS,
          """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: logs, namespace: default}
          spec:
            selector: {matchLabels: {app: logs}}
            template:
              metadata: {labels: {app: logs}}
              spec: {containers: [{name: a, image: busybox}]}
          """);
      eventually()
          .untilAsserted(
              () -> {
                JsonNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "web");
                assertThat(Meta.condition(d, "Progressing").path("reason").asText())
                    .isEqualTo("NewReplicaSetAvailable");
                assertThat(
                        sim.get(TestTypes.DAEMONSETS, "default", "logs")
                            .at("/status/numberReady")
                            .asInt())
                    .isEqualTo(3);
                assertThat(
                        sim.list(TestTypes.ENDPOINTSLICES, "default", s -> true)
                            .get(0)
                            .path("endpoints"))
                    .hasSize(2);
              });
      long[] rv = {sim.store.resourceVersion()};
      // Once a poll sees no write, none may happen for the next 700 ms either.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                long now = sim.store.resourceVersion();
                boolean same = now == rv[0];
                rv[0] = now;
                return same;
              });
      long settled = sim.store.resourceVersion();
      await()
          .during(Duration.ofMillis(700))
          .atMost(Duration.ofSeconds(2))
          .until(() -> sim.store.resourceVersion() == settled);
      assertThat(sim.manager.pendingWork()).isZero();
    }
  }
}
