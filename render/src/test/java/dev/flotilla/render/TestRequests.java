package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.model.ApplicationParser;
import dev.flotilla.core.model.ApplicationSpec;

/** Render requests from an Application spec's JSON, parsed as the agent and control plane do. */
final class TestRequests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestRequests() {}

  static RenderRequest parse(String name, String project, String specJson) {
    try {
      JsonNode root = JSON.readTree(specJson);
      ApplicationSpec spec = ApplicationParser.parseSpec(root);
      return new RenderRequest(
          name, RenderSource.of(spec.source()), spec.destination().namespace());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
