package dev.flotilla.generators.generator;

import java.util.Map;
import java.util.Objects;

/**
 * One set of template parameters and where it came from.
 *
 * <p>The location is only needed when something goes wrong, so a matrix product keeps its two
 * halves and joins their locations on demand instead of building 100,000 strings up front.
 */
public final class ParamSet {

  private final Map<String, Object> params;
  private final String source;
  private final ParamSet left;
  private final ParamSet right;

  /**
   * @param params flat dotted strings (fasttemplate) or nested values (goTemplate)
   * @param source location in the ApplicationSet that produced it, used in error messages, e.g.
   *     {@code spec.generators[0].list.elements[2]}
   */
  public ParamSet(Map<String, Object> params, String source) {
    this.params = Objects.requireNonNull(params);
    this.source = Objects.requireNonNull(source);
    this.left = null;
    this.right = null;
  }

  private ParamSet(Map<String, Object> params, ParamSet left, ParamSet right) {
    this.params = params;
    this.source = null;
    this.left = left;
    this.right = right;
  }

  /** A matrix combination of two parameter sets. */
  static ParamSet product(Map<String, Object> params, ParamSet left, ParamSet right) {
    return new ParamSet(params, left, right);
  }

  public Map<String, Object> params() {
    return params;
  }

  /** Where it came from; a matrix combination names both halves, joined by " × ". */
  public String source() {
    return source != null ? source : left.source() + " × " + right.source();
  }

  @Override
  public String toString() {
    return source() + " " + params;
  }
}
