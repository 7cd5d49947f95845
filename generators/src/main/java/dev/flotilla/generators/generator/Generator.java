package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one generator's spec and the immutable inputs into parameter sets. */
public interface Generator {

  /**
   * @param spec the generator's own object (e.g. the value of {@code list:})
   * @param location where that object is, e.g. {@code spec.generators[0].list}
   */
  GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location);
}
