package dev.flotilla.generators.generator;

import java.util.Map;

/**
 * One set of template parameters and where it came from.
 *
 * @param params flat dotted strings (fasttemplate) or nested values (goTemplate)
 * @param source location in the ApplicationSet that produced it, used in error messages, e.g.
 *     {@code spec.generators[0].list.elements[2]}
 */
public record ParamSet(Map<String, Object> params, String source) {}
