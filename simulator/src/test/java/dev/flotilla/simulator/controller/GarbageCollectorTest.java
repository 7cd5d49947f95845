package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.WatchEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private void awaitPods(String app, int count) {
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        sim.list(
                            TestTypes.PODS,
                            null,
                            p -> app.equals(Meta.labels(p).get("app")) && PodTemplates.ready(p)))
                    .hasSize(count));
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSetsAndTheirPods() {
    sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("gone", 2, "nginx"));
    awaitPods("gone", 2);

    sim.store.delete(TestTypes.DEPLOYMENTS, "default", "gone");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(sim.list(TestTypes.REPLICASETS, "default", rs -> true)).isEmpty();
              assertThat(sim.list(TestTypes.PODS, "default", p -> true)).isEmpty();
            });
  }

  @Test
  void foregroundDeletionRemovesTheDependentsBeforeTheOwner() {
    sim.create(TestTypes.DEPLOYMENTS, SimFixture.deployment("fg", 1, "nginx"));
    awaitPods("fg", 1);
    List<String> deleted = new CopyOnWriteArrayList<>();
    sim.store.watch(
        null,
        e -> {
          if (e.type() == WatchEvent.Type.DELETED) {
            deleted.add(e.resourceType().kind());
          }
        });
    // What the API server does for propagationPolicy=Foreground.
    ObjectNode d = sim.get(TestTypes.DEPLOYMENTS, "default", "fg");
    Meta.metadata(d).putArray("finalizers").add("foregroundDeletion");
    sim.store.update(TestTypes.DEPLOYMENTS, d);
    sim.store.delete(TestTypes.DEPLOYMENTS, "default", "fg");

    eventually()
        .untilAsserted(
            () -> assertThat(sim.store.get(TestTypes.DEPLOYMENTS, "default", "fg")).isEmpty());
    assertThat(deleted).contains("ReplicaSet");
    assertThat(deleted.indexOf("ReplicaSet")).isLessThan(deleted.indexOf("Deployment"));
    eventually()
        .untilAsserted(() -> assertThat(sim.list(TestTypes.PODS, "default", p -> true)).isEmpty());
  }

  @Test
  void anObjectWhoseOwnersAreAllAbsentIsCollected() {
    sim.create(
        TestTypes.CONFIGMAPS,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: dangling
          namespace: default
          ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: ghost, uid: 0000-gone}]
        """);
    ObjectNode owner =
        sim.create(
            TestTypes.CONFIGMAPS,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner, namespace: default}");
    sim.create(
        TestTypes.CONFIGMAPS,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kept
          namespace: default
          ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: %s}]
        """
            .formatted(Meta.uid(owner)));

    eventually()
        .untilAsserted(
            () -> assertThat(sim.store.get(TestTypes.CONFIGMAPS, "default", "dangling")).isEmpty());
    assertThat(sim.store.get(TestTypes.CONFIGMAPS, "default", "kept")).isPresent();
  }

  @Test
  void aDeletedNamespaceTerminatesDeletesItsObjectsAndGoes() {
    sim.create(TestTypes.NAMESPACES, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}");
    eventually()
        .untilAsserted(
            () ->
                assertThat(sim.get(TestTypes.NAMESPACES, "", "team-a").at("/status/phase").asText())
                    .isEqualTo("Active"));
    sim.create(
        TestTypes.DEPLOYMENTS,
        SimFixture.deployment("svc", 2, "nginx")
            .replace("namespace: default", "namespace: team-a"));
    sim.create(
        TestTypes.CONFIGMAPS,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-a}");
    awaitPods("svc", 2);
    List<String> phases = new CopyOnWriteArrayList<>();
    sim.store.watch(
        TestTypes.NAMESPACES,
        e -> phases.add(e.type() + ":" + e.object().at("/status/phase").asText()));

    sim.store.delete(TestTypes.NAMESPACES, "", "team-a");

    eventually()
        .untilAsserted(
            () -> assertThat(sim.store.get(TestTypes.NAMESPACES, "", "team-a")).isEmpty());
    assertThat(phases).contains("MODIFIED:Terminating");
    for (var type :
        List.of(
            TestTypes.DEPLOYMENTS, TestTypes.REPLICASETS, TestTypes.PODS, TestTypes.CONFIGMAPS)) {
      assertThat(sim.list(type, "team-a", o -> true)).as(type.plural()).isEmpty();
    }
    assertThat(sim.get(TestTypes.NAMESPACES, "", "default").at("/status/phase").asText())
        .isEqualTo("Active");
  }
}
