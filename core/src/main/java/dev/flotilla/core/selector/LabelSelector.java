package dev.flotilla.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector: requirements that must all hold. Read from either of Kubernetes' two
 * forms — the string syntax of {@code kubectl -l} ({@link #parse(String)}) or the structured {@code
 * matchLabels}/{@code matchExpressions} object ({@link #parse(JsonNode, String)}) — into one model,
 * so that a filter means the same in the API, the CLI and the cluster generator. An empty selector
 * matches everything.
 */
public final class LabelSelector {

  /** How a requirement tests its key, as Kubernetes' {@code matchExpressions} operators. */
  public enum Operator {
    /** The label is present with one of the values ({@code key=v}, {@code key in (a,b)}). */
    IN,
    /** The label is absent or has none of the values ({@code key!=v}, {@code key notin (a,b)}). */
    NOT_IN,
    /** The label is present ({@code key}). */
    EXISTS,
    /** The label is absent ({@code !key}). */
    DOES_NOT_EXIST
  }

  /**
   * One requirement; {@code values} (in the order given, without repeats) is empty for EXISTS and
   * DOES_NOT_EXIST.
   */
  public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
      values = List.copyOf(new LinkedHashSet<>(values));
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Reads the string syntax: {@code key=value}, {@code key==value}, {@code key!=value}, {@code key
   * in (a,b)}, {@code key notin (a,b)}, {@code key} and {@code !key}, joined by commas. Blank or
   * null selects everything.
   *
   * @throws LabelSelectorException naming the requirement that is not one
   */
  public static LabelSelector parse(String text) {
    return SelectorText.parse(text);
  }

  /**
   * Reads a structured selector ({@code matchLabels} and {@code matchExpressions} with In, NotIn,
   * Exists, DoesNotExist); null or missing selects everything.
   *
   * @param location how errors name the selector, e.g. {@code spec.generators[0].clusters.selector}
   * @throws LabelSelectorException whose {@link LabelSelectorException#where()} extends {@code
   *     location} to the offending field
   */
  public static LabelSelector parse(JsonNode selector, String location) {
    return SelectorObject.parse(selector, location);
  }

  /** The requirements, all of which must hold (so that a store can test them itself). */
  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
