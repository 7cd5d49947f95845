package dev.flotilla.simulator.controller;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;

/** A TestStore with a running controller manager (50 ms pod delay), and YAML helpers. */
final class SimFixture implements AutoCloseable {

  static final Duration DELAY = Duration.ofMillis(50);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final TestStore store = new TestStore();
  final ControllerManager manager;

  SimFixture() {
    this(ControllerOptions.defaults().withPodReadyDelay(DELAY));
  }

  SimFixture(ControllerOptions options) {
    store.create(
        TestTypes.NAMESPACES, yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}"));
    manager = ControllerManager.start(store, options);
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20));
  }

  ObjectNode create(ResourceType type, String yaml) {
    return store.create(type, yaml(yaml));
  }

  ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name).orElseThrow(() -> new AssertionError(name + " absent"));
  }

  List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    return store.list(type, namespace, filter);
  }

  List<ObjectNode> podsOf(JsonNode owner) {
    return store.list(TestTypes.PODS, Meta.namespace(owner), PodTemplates.ownedBy(owner));
  }

  List<ObjectNode> events(String namespace, String involvedName) {
    return store.list(
        TestTypes.EVENTS,
        namespace,
        e -> involvedName.equals(e.path("involvedObject").path("name").asText()));
  }

  List<String> reasons(String namespace, String involvedName) {
    return events(namespace, involvedName).stream().map(e -> e.path("reason").asText()).toList();
  }

  static String deployment(String name, int replicas, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: default}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: main
                image: %s
                ports: [{containerPort: 8080, name: http}]
        """
        .formatted(name, replicas, name, name, image);
  }

  @Override
  public void close() {
    manager.close();
  }
}
