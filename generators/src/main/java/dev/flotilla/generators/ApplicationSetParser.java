package dev.flotilla.generators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import java.util.ArrayList;
import java.util.List;

/** Reads Argo CD ApplicationSet YAML or JSON. */
public final class ApplicationSetParser {

  /** Largest ApplicationSet document accepted (UTF-8 bytes). */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  private static final BoundedYaml YAML = new BoundedYaml(MAX_DOCUMENT_BYTES);

  private ApplicationSetParser() {}

  /**
   * Parses one ApplicationSet document (YAML or JSON), bounded in size and alias expansion.
   *
   * @throws InvalidApplicationSetException naming what is wrong and where
   */
  public static ApplicationSet parse(String text) throws InvalidApplicationSetException {
    if (text == null || text.isBlank()) {
      throw new InvalidApplicationSetException("empty document: expected an ApplicationSet");
    }
    JsonNode document;
    try {
      document = YAML.read(text);
    } catch (YamlException e) {
      throw new InvalidApplicationSetException("malformed YAML: " + e.getMessage(), e);
    }
    return validate(document);
  }

  /**
   * Validates a document already read, e.g. one stored after {@link #parse(String)} accepted it:
   * its JSON may be larger than the YAML it came from, so the input limit does not apply again.
   *
   * @throws InvalidApplicationSetException naming what is wrong and where
   */
  public static ApplicationSet validate(JsonNode document) throws InvalidApplicationSetException {
    List<GenerationError> errors =
        new ArrayList<>(ApplicationSetValidator.validateDocument(document));
    if (document != null && document.isObject()) {
      JsonNode generators = document.path("spec").path("generators");
      if (generators.isArray()) {
        for (int i = 0; i < generators.size(); i++) {
          errors.addAll(
              ApplicationSetValidator.validateGenerator(
                  generators.get(i), "spec.generators[" + i + "]", 0));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidApplicationSetException(errors);
    }
    ObjectNode object = (ObjectNode) document;
    JsonNode namespace = object.path("metadata").path("namespace");
    return new ApplicationSet(
        object.path("metadata").path("name").textValue(),
        namespace.isTextual() && !namespace.textValue().isEmpty() ? namespace.textValue() : null,
        object);
  }
}
