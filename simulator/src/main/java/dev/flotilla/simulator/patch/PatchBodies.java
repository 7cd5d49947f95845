package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads patch bodies, naming where a malformed one breaks. */
final class PatchBodies {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final ObjectMapper YAML;

  static {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
  }

  private PatchBodies() {}

  /** The body as JSON; a 400 naming the byte, line and column where it breaks. */
  static JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      throw PatchException.badRequest("the patch body is empty");
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw PatchException.badRequest("the patch body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw PatchException.badRequest("error decoding patch: " + describe(e));
    } catch (IOException e) {
      throw PatchException.badRequest("error decoding patch: " + e.getMessage());
    }
  }

  /** An apply configuration, YAML or JSON (JSON is YAML); a 400 naming where it breaks. */
  static JsonNode yaml(byte[] body) {
    if (body == null || body.length == 0) {
      throw PatchException.badRequest("error decoding YAML: the apply configuration is empty");
    }
    try {
      refuseAliases(body);
      JsonNode node = YAML.readTree(body);
      if (node == null || node.isMissingNode() || node.isNull()) {
        throw PatchException.badRequest("error decoding YAML: the apply configuration is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw PatchException.badRequest("error decoding YAML: " + describe(e));
    } catch (IOException | RuntimeException e) {
      // SnakeYAML reports alias limits and duplicate keys as its own runtime exceptions
      throw PatchException.badRequest("error decoding YAML: " + e.getMessage());
    }
  }

  /**
   * Jackson reads an alias ({@code *a}) as the string "a" instead of expanding it, which would
   * silently apply something else than the client meant; kubectl sends JSON, so refuse aliases.
   */
  private static void refuseAliases(byte[] body) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(body)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          JsonLocation at = parser.currentTokenLocation();
          throw PatchException.badRequest(
              "error decoding YAML: the alias *%s (line %d, column %d) is not supported by the"
                      .formatted(parser.getText(), at.getLineNr(), at.getColumnNr())
                  + " SIMULATED API server: send the configuration without aliases (as JSON)");
        }
      }
    }
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String what = e.getOriginalMessage();
    if (at == null) {
      return what;
    }
    long offset = at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
    return "%s (byte %d, line %d, column %d)"
        .formatted(what, offset, at.getLineNr(), at.getColumnNr());
  }
}
