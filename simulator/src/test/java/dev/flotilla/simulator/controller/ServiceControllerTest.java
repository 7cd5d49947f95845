package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceControllerTest {

  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private List<ObjectNode> slices(String service) {
    return sim.list(
        TestTypes.ENDPOINTSLICES,
        "default",
        s -> service.equals(Meta.labels(s).get("kubernetes.io/service-name")));
  }

  private static List<String> endpoints(JsonNode slice, boolean ready) {
    List<String> names = new ArrayList<>();
    for (JsonNode ep : slice.path("endpoints")) {
      if (ep.path("conditions").path("ready").asBoolean() == ready) {
        names.add(ep.path("targetRef").path("name").asText());
      }
    }
    return names;
  }

  private static String pod(String name, String image) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: shop}}
        spec:
          containers:
          - {name: main, image: "%s", ports: [{name: http, containerPort: 8080}]}
        """
        .formatted(name, image);
  }

  @Test
  void aServiceGetsAClusterIpAndAnEndpointSliceThatFollowsPodReadiness() {
    sim.create(
        TestTypes.SERVICES,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: shop, namespace: default}
        spec:
          selector: {app: shop}
          ports: [{name: web, port: 80, targetPort: http}]
        """);
    sim.create(TestTypes.PODS, pod("shop-a", "nginx"));
    sim.create(TestTypes.PODS, pod("shop-b", "nginx"));
    sim.create(TestTypes.PODS, pod("shop-bad", "crashloop"));

    eventually()
        .untilAsserted(
            () -> {
              List<ObjectNode> slices = slices("shop");
              assertThat(slices).hasSize(1);
              assertThat(endpoints(slices.get(0), true))
                  .containsExactlyInAnyOrder("shop-a", "shop-b");
              assertThat(endpoints(slices.get(0), false)).containsExactly("shop-bad");
            });
    ObjectNode svc = sim.get(TestTypes.SERVICES, "default", "shop");
    assertThat(svc.path("spec").path("clusterIP").asText()).matches("10\\.96\\.\\d+\\.\\d+");
    ObjectNode slice = slices("shop").get(0);
    assertThat(Meta.name(slice)).startsWith("shop-");
    assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
    assertThat(Meta.labels(slice))
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
    assertThat(slice.path("ports").path(0).path("port").asInt()).isEqualTo(8080);
    assertThat(slice.path("ports").path(0).path("name").asText()).isEqualTo("web");
    assertThat(slice.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(svc));
    JsonNode ep = slice.path("endpoints").path(0);
    assertThat(ep.path("addresses").path(0).asText()).startsWith("10.244.");
    assertThat(ep.path("nodeName").asText()).startsWith("sim-node-");

    sim.store.delete(TestTypes.PODS, "default", "shop-a");
    sim.create(TestTypes.PODS, pod("shop-c", "nginx"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(endpoints(slices("shop").get(0), true))
                    .containsExactlyInAnyOrder("shop-b", "shop-c"));
  }

  @Test
  void aServiceWithoutSelectorGetsNoSliceAndAGivenClusterIpIsKept() {
    sim.create(
        TestTypes.SERVICES,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: external, namespace: default}
        spec:
          clusterIP: 10.96.50.50
          ports: [{port: 443}]
        """);
    sim.create(
        TestTypes.SERVICES,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: marker, namespace: default}
        spec:
          selector: {app: nothing}
          ports: [{port: 80}]
        """);

    eventually().untilAsserted(() -> assertThat(slices("marker")).hasSize(1));
    assertThat(slices("external")).isEmpty();
    assertThat(sim.get(TestTypes.SERVICES, "default", "external").at("/spec/clusterIP").asText())
        .isEqualTo("10.96.50.50");
    assertThat(slices("marker").get(0).path("endpoints")).isEmpty();
  }
}
