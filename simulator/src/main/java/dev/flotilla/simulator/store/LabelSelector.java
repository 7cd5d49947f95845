package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code labelSelector} in the API server's string syntax: equality ({@code a=b}, {@code
 * a==b}, {@code a!=b}), set-based ({@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a})
 * and numeric ({@code a>1}, {@code a<1}), joined by commas (AND). A {@link MemoryObjectStore}
 * recognises it as a list filter and answers from its label index.
 */
public final class LabelSelector implements Predicate<ObjectNode> {

  /** One requirement; values hold one value for equality and the set for in/notin. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }
  }

  /** The requirement's operator. */
  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    GREATER_THAN,
    LESS_THAN
  }

  private static final Pattern SET_BASED =
      Pattern.compile("^([^\\s!=<>(),]+)\\s+(in|notin)\\s*\\((.*)\\)$");
  private static final Pattern KEY =
      Pattern.compile("^([a-zA-Z0-9.-]+/)?[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$");

  private final List<Requirement> requirements;
  private final Predicate<ObjectNode> more;

  private LabelSelector(List<Requirement> requirements, Predicate<ObjectNode> more) {
    this.requirements = List.copyOf(requirements);
    this.more = more;
  }

  private LabelSelector(List<Requirement> requirements) {
    this(requirements, o -> true);
  }

  /**
   * This selector and a further condition (a field selector, say): still a LabelSelector, so the
   * store keeps using its label index.
   */
  public LabelSelector andAlso(Predicate<ObjectNode> condition) {
    return new LabelSelector(requirements, more.and(condition));
  }

  /** The selector that matches everything. */
  public static LabelSelector everything() {
    return new LabelSelector(List.of());
  }

  /**
   * Parses the query-string form.
   *
   * @throws IllegalArgumentException naming the requirement that cannot be parsed
   */
  public static LabelSelector parse(String selector) {
    List<Requirement> out = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new LabelSelector(out);
    }
    for (String part : splitTopLevel(selector)) {
      out.add(requirement(part.trim(), selector));
    }
    return new LabelSelector(out);
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  @Override
  public boolean test(ObjectNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement r : requirements) {
      JsonNode value = labels.get(r.key());
      String v = value == null || value.isNull() ? null : value.asText();
      if (!matches(r, v)) {
        return false;
      }
    }
    return more.test(object);
  }

  private static boolean matches(Requirement r, String v) {
    return switch (r.operator()) {
      case EQUALS, IN -> v != null && r.values().contains(v);
      case NOT_EQUALS, NOT_IN -> v == null || !r.values().contains(v);
      case EXISTS -> v != null;
      case DOES_NOT_EXIST -> v == null;
      case GREATER_THAN -> compare(v, r) > 0;
      case LESS_THAN -> v != null && compare(v, r) < 0;
    };
  }

  private static int compare(String v, Requirement r) {
    if (v == null) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(v), Long.parseLong(r.values().iterator().next()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Requirement requirement(String part, String whole) {
    if (part.isEmpty()) {
      throw invalid(whole, "empty requirement");
    }
    Matcher set = SET_BASED.matcher(part);
    if (set.matches()) {
      Set<String> values = new LinkedHashSet<>();
      for (String v : set.group(3).split(",", -1)) {
        values.add(v.trim());
      }
      Operator op = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
      return new Requirement(key(set.group(1), whole), op, values);
    }
    if (part.startsWith("!") && !part.contains("=")) {
      return new Requirement(
          key(part.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, Set.of());
    }
    for (String op : List.of("!=", "==", "=", ">", "<")) {
      int i = part.indexOf(op);
      if (i > 0) {
        String key = key(part.substring(0, i).trim(), whole);
        String value = part.substring(i + op.length()).trim();
        Operator operator =
            switch (op) {
              case "!=" -> Operator.NOT_EQUALS;
              case ">" -> Operator.GREATER_THAN;
              case "<" -> Operator.LESS_THAN;
              default -> Operator.EQUALS;
            };
        if ((operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN)
            && !value.matches("-?[0-9]+")) {
          throw invalid(whole, "for '" + op + "', the value must be an integer: " + value);
        }
        return new Requirement(key, operator, Set.of(value));
      }
    }
    return new Requirement(key(part, whole), Operator.EXISTS, Set.of());
  }

  private static String key(String key, String whole) {
    if (!KEY.matcher(key).matches()) {
      throw invalid(whole, "invalid label key \"" + key + "\"");
    }
    return key;
  }

  private static IllegalArgumentException invalid(String whole, String why) {
    return new IllegalArgumentException(
        "unable to parse requirement in label selector \"" + whole + "\": " + why);
  }

  /** Splits on commas outside parentheses: {@code a in (x,y),b} is two requirements. */
  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  @Override
  public String toString() {
    return requirements.toString();
  }
}
