package dev.flotilla.core.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * Policy lines in Argo CD's CSV format, parsed and checked:
 *
 * <pre>
 * p, &lt;subject&gt;, &lt;resource&gt;, &lt;action&gt;, &lt;object&gt;, &lt;allow|deny&gt;
 * g, &lt;user-or-team-or-role&gt;, &lt;role&gt;
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are ignored. Unlike Argo CD, an unknown resource or
 * action is an error rather than a line that silently never matches, so a typo cannot leave a deny
 * rule without effect.
 */
public final class PolicySet {

  /** Larger policies are refused before any parsing, so a hostile body cannot exhaust memory. */
  public static final int MAX_CHARS = 1024 * 1024;

  private static final PolicySet EMPTY = new PolicySet(List.of(), List.of());

  private final List<PolicyRule> rules;
  private final List<RoleBinding> bindings;

  private PolicySet(List<PolicyRule> rules, List<RoleBinding> bindings) {
    this.rules = List.copyOf(rules);
    this.bindings = List.copyOf(bindings);
  }

  public static PolicySet empty() {
    return EMPTY;
  }

  public static PolicySet of(List<PolicyRule> rules, List<RoleBinding> bindings) {
    return new PolicySet(rules, bindings);
  }

  /**
   * @throws PolicyParseException naming the first bad line and what is wrong with it
   */
  public static PolicySet parse(String csv) {
    if (csv == null) {
      return EMPTY;
    }
    if (csv.length() > MAX_CHARS) {
      throw new PolicyParseException(
          "policy", "longer than " + MAX_CHARS + " characters (" + csv.length() + ")");
    }
    List<PolicyRule> rules = new ArrayList<>();
    List<RoleBinding> bindings = new ArrayList<>();
    String[] lines = csv.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Object parsed = parseLine(line, number, "line " + number);
      if (parsed instanceof PolicyRule rule) {
        rules.add(rule);
      } else {
        bindings.add((RoleBinding) parsed);
      }
    }
    return new PolicySet(rules, bindings);
  }

  /** Parses one non-blank line into a {@link PolicyRule} or a {@link RoleBinding}. */
  static Object parseLine(String line, int number, String location) {
    if (line.indexOf('"') >= 0) {
      throw new PolicyParseException(location, "quoted fields are not supported");
    }
    if (line.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new PolicyParseException(location, "contains a control character");
    }
    String[] fields = line.split(",", -1);
    for (int i = 0; i < fields.length; i++) {
      fields[i] = fields[i].strip();
    }
    switch (fields[0]) {
      case "p" -> {
        if (fields.length != 6) {
          throw new PolicyParseException(
              location,
              "a 'p' line has 6 fields (p, subject, resource, action, object, allow|deny), found "
                  + fields.length);
        }
        requireNonEmpty(fields[1], "subject", location);
        String resource = fields[2];
        if (!resource.equals("*") && !Resources.ALL.contains(resource)) {
          throw new PolicyParseException(
              location,
              "unknown resource '"
                  + resource
                  + "' (expected applications, applicationsets, projects, clusters, repositories, accounts,"
                  + " logs or *)");
        }
        String action = fields[3];
        if (!action.equals("*") && !Actions.ALL.contains(action)) {
          throw new PolicyParseException(
              location,
              "unknown action '"
                  + action
                  + "' (expected get, create, update, delete, sync, rollback, override or *)");
        }
        requireNonEmpty(fields[4], "object", location);
        String effect = fields[5];
        if (!effect.equals("allow") && !effect.equals("deny")) {
          throw new PolicyParseException(
              location, "effect must be 'allow' or 'deny', found '" + effect + "'");
        }
        return new PolicyRule(
            fields[1], resource, action, fields[4], effect.equals("allow"), number);
      }
      case "g" -> {
        if (fields.length != 3) {
          throw new PolicyParseException(
              location, "a 'g' line has 3 fields (g, user-or-team, role), found " + fields.length);
        }
        requireNonEmpty(fields[1], "user or team", location);
        requireNonEmpty(fields[2], "role", location);
        return new RoleBinding(fields[1], fields[2], number);
      }
      default ->
          throw new PolicyParseException(
              location, "a line starts with 'p' or 'g', found '" + fields[0] + "'");
    }
  }

  private static void requireNonEmpty(String value, String what, String location) {
    if (value.isEmpty()) {
      throw new PolicyParseException(location, what + " is empty");
    }
  }

  public List<PolicyRule> rules() {
    return rules;
  }

  public List<RoleBinding> bindings() {
    return bindings;
  }

  /** The policy as text, one line per rule and binding. */
  public String toCsv() {
    StringBuilder out = new StringBuilder();
    rules.forEach(r -> out.append(r.toLine()).append('\n'));
    bindings.forEach(b -> out.append(b.toLine()).append('\n'));
    return out.toString();
  }
}
