package dev.flotilla.core.project;

import java.util.List;
import java.util.Optional;

/**
 * Argo CD's AppProject resource white- and blacklists, and the project's destinations on the
 * cluster, applied to one object: the control plane uses it to validate patterns when a project is
 * applied, the agent to check every rendered object before a sync writes anything. Pure code in
 * core, so that both ends decide identically.
 *
 * <p>Patterns follow Go's {@code filepath.Match}, as Argo CD matches group, kind and name: {@code
 * *} any run of characters except {@code /}, {@code ?} one such character, {@code [a-z]} and {@code
 * [^a-z]} classes, {@code \} escapes the next character. A malformed pattern is refused when the
 * project is applied; should one reach the agent anyway it never widens access (an allow entry
 * matches nothing, a deny entry everything).
 */
public final class ResourcePermissions {

  /** Whether a kind is cluster-scoped or namespaced, as far as the agent can tell. */
  public enum Scope {
    CLUSTER,
    NAMESPACED,
    /** Neither built in, nor served by discovery, nor defined by a CustomResourceDefinition. */
    UNKNOWN
  }

  private ResourcePermissions() {}

  /**
   * Why the object may not be synced under {@code rules}, or empty when it may. The reason names
   * the object, the project and the rule, e.g. {@code resource apps:Deployment shop/web is not
   * permitted in project 'team-a' (namespaced; denied by namespaceResourceBlacklist entry {group:
   * 'apps', kind: '*'})}. A kind the rules permit must also be in a namespace the project's
   * destinations permit on this cluster (when {@code rules} carry them), unless it is
   * cluster-scoped: an object of unknown scope is checked both ways.
   *
   * @param namespace the object's namespace, empty for cluster-scoped objects
   */
  public static Optional<String> violation(
      ResourceRules rules, String group, String kind, String namespace, String name, Scope scope) {
    Optional<String> byKind = kindViolation(rules, group, kind, namespace, name, scope);
    if (byKind.isPresent()
        || rules.destinations().isEmpty()
        || scope == Scope.CLUSTER
        || namespace == null
        || namespace.isEmpty()) {
      return byKind;
    }
    return rules
        .destinations()
        .get()
        .violation(namespace)
        .map(why -> namespaceMessage(rules, group, kind, namespace, name, why));
  }

  /**
   * Argo CD's message, preceded by the object, e.g. {@code resource apps:Deployment
   * kube-system/web: namespace kube-system is not permitted in project 'team-a' (destinations on
   * this cluster permit 'team-a-*')}.
   */
  private static String namespaceMessage(
      ResourceRules rules, String group, String kind, String namespace, String name, String why) {
    return "resource "
        + group
        + ":"
        + kind
        + " "
        + namespace
        + "/"
        + name
        + ": namespace "
        + namespace
        + " is not permitted in project '"
        + rules.project()
        + "' ("
        + why
        + ")";
  }

  private static Optional<String> kindViolation(
      ResourceRules rules, String group, String kind, String namespace, String name, Scope scope) {
    Optional<String> why =
        switch (scope) {
          case CLUSTER -> clusterViolation(rules, group, kind, name);
          case NAMESPACED -> namespacedViolation(rules, group, kind, name);
          case UNKNOWN ->
              clusterViolation(rules, group, kind, name)
                  .or(() -> namespacedViolation(rules, group, kind, name))
                  .map(
                      w ->
                          "scope unknown, so it must be permitted both cluster-scoped and"
                              + " namespaced; "
                              + w);
        };
    return why.map(
        w ->
            "resource "
                + group
                + ":"
                + kind
                + " "
                + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
                + name
                + " is not permitted in project '"
                + rules.project()
                + "' ("
                + w
                + ")");
  }

  private static Optional<String> clusterViolation(
      ResourceRules rules, String group, String kind, String name) {
    if (rules.clusterAllow().isEmpty()) {
      return Optional.of(
          "cluster-scoped; the project has no clusterResourceWhitelist entries, which permits no"
              + " cluster-scoped resources");
    }
    if (first(rules.clusterAllow(), group, kind, name, false).isEmpty()) {
      return Optional.of("cluster-scoped; no clusterResourceWhitelist entry matches it");
    }
    return first(rules.clusterDeny(), group, kind, name, true)
        .map(r -> "cluster-scoped; denied by clusterResourceBlacklist entry " + r.describe());
  }

  private static Optional<String> namespacedViolation(
      ResourceRules rules, String group, String kind, String name) {
    if (rules.namespaceAllow().isPresent()) {
      List<ResourceRule> allow = rules.namespaceAllow().get();
      if (allow.isEmpty()) {
        return Optional.of(
            "namespaced; the project's namespaceResourceWhitelist is empty, which permits no"
                + " namespaced resources");
      }
      if (first(allow, group, kind, name, false).isEmpty()) {
        return Optional.of("namespaced; no namespaceResourceWhitelist entry matches it");
      }
    }
    return first(rules.namespaceDeny(), group, kind, name, true)
        .map(r -> "namespaced; denied by namespaceResourceBlacklist entry " + r.describe());
  }

  private static Optional<ResourceRule> first(
      List<ResourceRule> list, String group, String kind, String name, boolean deny) {
    for (ResourceRule r : list) {
      if (matches(r.group(), group, deny)
          && matches(r.kind(), kind, deny)
          && (r.name().isEmpty() || matches(r.name(), name, deny))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code pattern} is not a valid pattern, or empty when it is.
   *
   * @return e.g. "unclosed '[' at position 3"
   */
  public static Optional<String> patternError(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        if (i + 1 >= pattern.length()) {
          return Optional.of("trailing '\\' escapes nothing");
        }
        i++;
      } else if (c == '[') {
        int end = classEnd(pattern, i);
        if (end < 0) {
          return Optional.of("unclosed '[' at position " + i);
        }
        i = end;
      }
    }
    return Optional.empty();
  }

  /** Go's {@code filepath.Match(pattern, value)} on Linux; a malformed pattern never matches. */
  public static boolean matches(String pattern, String value) {
    return matches(pattern, value, false);
  }

  private static boolean matches(String pattern, String value, boolean onMalformed) {
    if (pattern.equals("*")) {
      return true;
    }
    if (patternError(pattern).isPresent()) {
      return onMalformed;
    }
    return match(pattern, 0, value, 0);
  }

  /**
   * Iterative matcher: only the most recent {@code *} is ever backtracked to, so the work is
   * bounded by pattern length times value length (no exponential blow-up on many stars).
   */
  private static boolean match(String p, int pi, String v, int vi) {
    int starP = -1;
    int starV = -1;
    while (vi < v.length()) {
      if (pi < p.length() && p.charAt(pi) == '*') {
        while (pi < p.length() && p.charAt(pi) == '*') {
          pi++;
        }
        starP = pi;
        starV = vi;
        continue;
      }
      int next = pi < p.length() ? single(p, pi, v.charAt(vi)) : -1;
      if (next >= 0) {
        pi = next;
        vi++;
        continue;
      }
      // Let the last star take one more character, unless that character is the separator.
      if (starP >= 0 && v.charAt(starV) != '/') {
        starV++;
        pi = starP;
        vi = starV;
        continue;
      }
      return false;
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /** Matches one non-star pattern element at {@code pi} against {@code c}: next index, or -1. */
  private static int single(String p, int pi, char c) {
    char pc = p.charAt(pi);
    switch (pc) {
      case '?':
        return c == '/' ? -1 : pi + 1;
      case '\\':
        return p.charAt(pi + 1) == c ? pi + 2 : -1;
      case '[':
        {
          int end = classEnd(p, pi);
          return c != '/' && inClass(p, pi + 1, end, c) ? end + 1 : -1;
        }
      default:
        return pc == c ? pi + 1 : -1;
    }
  }

  /** Index of the ']' closing the class opened at {@code open}, or -1. */
  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    boolean empty = true;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']') {
        // As in Go, "[]" and "[]a]" are malformed: a class needs something before its ']'.
        return empty ? -1 : i;
      }
      if (c == '\\') {
        i++;
      }
      empty = false;
      i++;
    }
    return -1;
  }

  private static boolean inClass(String p, int from, int end, char c) {
    boolean negated = p.charAt(from) == '^';
    int i = negated ? from + 1 : from;
    boolean matched = false;
    while (i < end) {
      char lo = p.charAt(i);
      if (lo == '\\') {
        lo = p.charAt(++i);
      }
      i++;
      char hi = lo;
      if (i + 1 < end && p.charAt(i) == '-') {
        hi = p.charAt(i + 1);
        if (hi == '\\') {
          hi = p.charAt(i + 2);
          i++;
        }
        i += 2;
      }
      if (lo <= c && c <= hi) {
        matched = true;
      }
    }
    return matched != negated;
  }
}
