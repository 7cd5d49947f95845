package dev.flotilla.simulator.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;

/**
 * The default {@link PatchEngine}: RFC 6902 JSON Patch only (through zjsonpatch, the library the
 * fabric8 client itself uses). Every other patch type is answered 415, naming it, until the full
 * engine (merge, strategic merge, server-side apply) is wired in.
 */
public final class JsonPatchEngine implements PatchEngine {

  public static final String JSON_PATCH = "application/json-patch+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public ObjectNode apply(
      String contentType,
      ResourceType type,
      ObjectNode current,
      byte[] patch,
      String fieldManager,
      boolean force) {
    if (!JSON_PATCH.equals(contentType)) {
      throw ApiException.unsupportedMediaType(
          "the patch type "
              + contentType
              + " is not simulated by this API server (only "
              + JSON_PATCH
              + " is)");
    }
    if (current == null) {
      throw ApiException.notFound("a JSON patch needs an existing object");
    }
    JsonNode operations;
    try {
      operations = JSON.readTree(patch);
    } catch (JacksonException e) {
      throw ApiException.badRequest("the JSON patch is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the JSON patch cannot be read: " + e.getMessage());
    }
    if (!operations.isArray()) {
      throw ApiException.badRequest("a JSON patch must be an array of operations");
    }
    try {
      JsonNode result = JsonPatch.apply(operations, current);
      if (!(result instanceof ObjectNode o)) {
        throw ApiException.invalid("the JSON patch does not leave an object");
      }
      return o;
    } catch (JsonPatchException | IllegalArgumentException e) {
      throw ApiException.invalid("the JSON patch does not apply: " + e.getMessage());
    }
  }
}
