package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.WatchEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkloadControllersTest {

  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private static final String STATEFUL_SET =
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: default}
      spec:
        replicas: 3
        serviceName: db
        selector: {matchLabels: {app: db}}
        template:
          metadata: {labels: {app: db}}
          spec:
            containers: [{name: pg, image: "postgres:17"}]
      """;

  @Test
  void aStatefulSetCreatesOrdinalPodsInOrderAndRollsThemOnATemplateChange() {
    List<String> created = new CopyOnWriteArrayList<>();
    sim.store.watch(
        TestTypes.PODS,
        e -> {
          if (e.type() == WatchEvent.Type.ADDED) {
            created.add(Meta.name(e.object()));
          }
        });
    ObjectNode sts = sim.create(TestTypes.STATEFULSETS, STATEFUL_SET);

    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = sim.get(TestTypes.STATEFULSETS, "default", "db").path("status");
              assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
              assertThat(status.path("currentRevision").asText())
                  .isEqualTo(status.path("updateRevision").asText())
                  .startsWith("db-");
            });
    assertThat(created).containsExactly("db-0", "db-1", "db-2");
    ObjectNode pod1 = sim.get(TestTypes.PODS, "default", "db-1");
    assertThat(pod1.path("spec").path("hostname").asText()).isEqualTo("db-1");
    assertThat(pod1.path("spec").path("subdomain").asText()).isEqualTo("db");
    assertThat(Meta.labels(pod1)).containsEntry("statefulset.kubernetes.io/pod-name", "db-1");
    String firstRevision =
        sim.get(TestTypes.STATEFULSETS, "default", "db")
            .path("status")
            .path("currentRevision")
            .asText();

    ObjectNode live = sim.get(TestTypes.STATEFULSETS, "default", "db");
    ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("image", "postgres:18");
    sim.store.update(TestTypes.STATEFULSETS, live);

    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = sim.get(TestTypes.STATEFULSETS, "default", "db").path("status");
              assertThat(status.path("updateRevision").asText()).isNotEqualTo(firstRevision);
              assertThat(status.path("currentRevision").asText())
                  .isEqualTo(status.path("updateRevision").asText());
              assertThat(status.path("updatedReplicas").asInt()).isEqualTo(3);
              assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
            });
    assertThat(sim.podsOf(sts))
        .allMatch(p -> p.at("/spec/containers/0/image").asText().equals("postgres:18"));

    live = sim.get(TestTypes.STATEFULSETS, "default", "db");
    ((ObjectNode) live.path("spec")).put("replicas", 1);
    sim.store.update(TestTypes.STATEFULSETS, live);
    eventually()
        .untilAsserted(
            () -> assertThat(sim.podsOf(sts)).extracting(Meta::name).containsExactly("db-0"));
  }

  @Test
  void aDaemonSetRunsOnePodOnEverySimulatedNodeItsSelectorAdmits() {
    ObjectNode ds =
        sim.create(
            TestTypes.DAEMONSETS,
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: default}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  containers: [{name: a, image: "busybox"}]
            """);

    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = sim.get(TestTypes.DAEMONSETS, "default", "agent").path("status");
              assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(3);
              assertThat(status.path("currentNumberScheduled").asInt()).isEqualTo(3);
              assertThat(status.path("numberReady").asInt()).isEqualTo(3);
              assertThat(status.path("numberAvailable").asInt()).isEqualTo(3);
            });
    assertThat(sim.podsOf(ds))
        .extracting(p -> p.path("spec").path("nodeName").asText())
        .containsExactlyInAnyOrder("sim-node-1", "sim-node-2", "sim-node-3");
    assertThat(sim.podsOf(ds)).allMatch(p -> Meta.name(p).matches("agent-[a-z0-9]{5}"));

    ObjectNode pinned =
        sim.create(
            TestTypes.DAEMONSETS,
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: pinned, namespace: default}
            spec:
              selector: {matchLabels: {app: pinned}}
              template:
                metadata: {labels: {app: pinned}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: sim-node-2}
                  containers: [{name: a, image: "busybox"}]
            """);
    eventually()
        .untilAsserted(
            () ->
                assertThat(sim.podsOf(pinned))
                    .extracting(p -> p.path("spec").path("nodeName").asText())
                    .containsExactly("sim-node-2"));
  }

  @Test
  void aJobsPodsSucceedAndTheJobCompletes() {
    ObjectNode job =
        sim.create(
            TestTypes.JOBS,
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: default}
            spec:
              completions: 3
              parallelism: 2
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: m, image: "migrate:1"}]
            """);

    eventually()
        .untilAsserted(
            () -> {
              ObjectNode j = sim.get(TestTypes.JOBS, "default", "migrate");
              assertThat(j.path("status").path("succeeded").asInt()).isEqualTo(3);
              assertThat(Meta.condition(j, "Complete").path("status").asText()).isEqualTo("True");
              assertThat(j.path("status").path("completionTime").asText()).isNotEmpty();
            });
    List<ObjectNode> pods = sim.podsOf(job);
    assertThat(pods).hasSize(3);
    for (ObjectNode pod : pods) {
      assertThat(pod.path("status").path("phase").asText()).isEqualTo("Succeeded");
      assertThat(pod.at("/status/containerStatuses/0/state/terminated/reason").asText())
          .isEqualTo("Completed");
      assertThat(Meta.labels(pod)).containsEntry("job-name", "migrate");
    }
    assertThat(sim.reasons("default", "migrate")).contains("SuccessfulCreate", "Completed");
  }

  @Test
  void aJobWhosePodsFailStopsAtItsBackoffLimit() {
    sim.create(
        TestTypes.JOBS,
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: doomed, namespace: default}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers: [{name: m, image: "crashloop:1"}]
        """);

    eventually()
        .untilAsserted(
            () -> {
              ObjectNode j = sim.get(TestTypes.JOBS, "default", "doomed");
              JsonNode failed = Meta.condition(j, "Failed");
              assertThat(failed.path("status").asText()).isEqualTo("True");
              assertThat(failed.path("reason").asText()).isEqualTo("BackoffLimitExceeded");
              assertThat(j.path("status").path("failed").asInt()).isEqualTo(2);
            });
    assertThat(sim.reasons("default", "doomed")).contains("BackoffLimitExceeded");
  }
}
