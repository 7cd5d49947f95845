package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Types, objects and an engine with a fixed clock, shared by the patch tests. */
final class Fixtures {

  static final ObjectMapper MAPPER = new ObjectMapper();

  static final ResourceType DEPLOYMENT =
      new ResourceType(
          "apps",
          "v1",
          "Deployment",
          "deployments",
          "deployment",
          List.of("deploy"),
          true,
          List.of("status", "scale"));
  static final ResourceType POD =
      new ResourceType(
          "", "v1", "Pod", "pods", "pod", List.of("po"), true, List.of("status", "log"));
  static final ResourceType SERVICE =
      new ResourceType(
          "", "v1", "Service", "services", "service", List.of("svc"), true, List.of("status"));
  static final ResourceType CONFIG_MAP =
      new ResourceType(
          "", "v1", "ConfigMap", "configmaps", "configmap", List.of("cm"), true, List.of());
  static final ResourceType WIDGET =
      new ResourceType(
          "example.com", "v1", "Widget", "widgets", "widget", List.of(), true, List.of("status"));

  static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  static final PatchEngine ENGINE = PatchEngine.standard(Clock.fixed(NOW, ZoneOffset.UTC));

  private Fixtures() {}

  /** JSON written with single quotes, for readable tables. */
  static ObjectNode json(String singleQuoted) {
    return (ObjectNode) tree(singleQuoted.replace('\'', '"'));
  }

  static byte[] body(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode resource(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Deployment like the one kubectl's patches were captured against, without managedFields. */
  static ObjectNode deployment() {
    return (ObjectNode) resource("/kubectl-1.32/live-deployment.json");
  }
}
