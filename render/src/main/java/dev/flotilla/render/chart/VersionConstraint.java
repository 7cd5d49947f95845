package dev.flotilla.render.chart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart {@code targetRevision} as Helm and Argo CD accept it (Masterminds semver constraints): an
 * exact version, or terms such as {@code 1.2.*}, {@code 1.2.x}, {@code 1.2}, {@code >=1.0.0
 * <2.0.0}, {@code >=1.0, <2}, {@code ~1.2.3}, {@code ^1.2}, {@code 1.2 - 1.4} and {@code ||}
 * between alternatives; {@code *} is the newest.
 *
 * <p>Written here rather than taken from a library: no semver library is available to this build
 * offline, and Helm's rules (wildcards, {@code ^0.x}) need only this much. As in npm and Helm, a
 * prerelease version is chosen only by an alternative that names a prerelease itself.
 */
public final class VersionConstraint {

  private static final Pattern TERM =
      Pattern.compile(
          "(>=|=>|<=|=<|!=|~>|[=<>~^])?v?([0-9xX*]+)(?:\\.([0-9xX*]+))?(?:\\.([0-9xX*]+))?"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
  private static final Pattern SPACE_AFTER_OPERATOR =
      Pattern.compile("(>=|=>|<=|=<|!=|~>|[=<>~^])\\s+");

  /** One {@code ||} alternative: every term must hold. */
  private record Alternative(List<Predicate<SemanticVersion>> terms, boolean allowsPrerelease) {
    boolean matches(SemanticVersion v) {
      return (!v.isPrerelease() || allowsPrerelease) && terms.stream().allMatch(t -> t.test(v));
    }
  }

  private final String text;
  private final List<Alternative> alternatives;
  private final SemanticVersion exact;

  private VersionConstraint(String text, List<Alternative> alternatives, SemanticVersion exact) {
    this.text = text;
    this.alternatives = alternatives;
    this.exact = exact;
  }

  /**
   * @throws IllegalArgumentException naming the part that is neither a version nor a constraint
   */
  public static VersionConstraint parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("an empty version constraint");
    }
    List<Alternative> alternatives = new ArrayList<>();
    for (String alternative : t.split("\\|\\|", -1)) {
      alternatives.add(alternative(alternative.trim(), t));
    }
    SemanticVersion exact =
        t.matches("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?")
            ? SemanticVersion.parse(t).orElse(null)
            : null;
    return new VersionConstraint(t, alternatives, exact);
  }

  /** The one version this constraint names, when it is a plain {@code 1.2.3}. */
  public Optional<SemanticVersion> exactVersion() {
    return Optional.ofNullable(exact);
  }

  public boolean matches(SemanticVersion v) {
    return alternatives.stream().anyMatch(a -> a.matches(v));
  }

  /** The newest of {@code versions} that matches, as Helm picks. */
  public Optional<SemanticVersion> newest(Collection<SemanticVersion> versions) {
    return versions.stream().filter(this::matches).max(SemanticVersion::compareTo);
  }

  @Override
  public String toString() {
    return text;
  }

  private static Alternative alternative(String text, String whole) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("'" + whole + "' has an empty alternative around ||");
    }
    String s = HYPHEN.matcher(text).replaceAll(">=$1 <=$2");
    s = SPACE_AFTER_OPERATOR.matcher(s).replaceAll("$1");
    List<Predicate<SemanticVersion>> terms = new ArrayList<>();
    boolean prerelease = false;
    for (String term : s.split("[,\\s]+")) {
      Matcher m = TERM.matcher(term);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'" + term + "' in '" + whole + "' is neither a version nor a version constraint");
      }
      prerelease |= m.group(5) != null;
      terms.add(term(m));
    }
    return new Alternative(List.copyOf(terms), prerelease);
  }

  /** One term; parts written as x, X or * or left out are "dirty", as Masterminds calls them. */
  private static Predicate<SemanticVersion> term(Matcher m) {
    String op = m.group(1) == null ? "=" : m.group(1);
    String[] parts = {m.group(2), m.group(3), m.group(4)};
    int given = 0; // how many leading parts are numbers
    long[] n = new long[3];
    while (given < 3 && parts[given] != null && parts[given].chars().allMatch(Character::isDigit)) {
      n[given] = Long.parseLong(parts[given]);
      given++;
    }
    String pre = m.group(5) == null ? "" : m.group(5);
    SemanticVersion low = new SemanticVersion(n[0], n[1], n[2], given == 3 ? pre : "", "");
    SemanticVersion next = bump(n, given); // the first version past the dirty range
    return switch (op) {
      case "=" -> given == 3 ? v -> v.compareTo(low) == 0 : range(low, next);
      case "!=" -> given == 3 ? v -> v.compareTo(low) != 0 : range(low, next).negate();
      case ">" -> given == 3 ? v -> v.compareTo(low) > 0 : atLeast(next);
      case ">=", "=>" -> atLeast(low);
      case "<" -> v -> v.compareTo(low) < 0;
      case "<=", "=<" -> given == 3 ? v -> v.compareTo(low) <= 0 : below(next);
      case "~", "~>" -> range(low, given <= 1 ? bump(n, 1) : bump(n, 2));
      case "^" -> range(low, caretLimit(n, given));
      default -> throw new IllegalStateException(op);
    };
  }

  /** The version after the range the first {@code given} parts name (null: no upper end). */
  private static SemanticVersion bump(long[] n, int given) {
    return switch (given) {
      case 0 -> null;
      case 1 -> new SemanticVersion(n[0] + 1, 0, 0, "", "");
      case 2 -> new SemanticVersion(n[0], n[1] + 1, 0, "", "");
      default -> new SemanticVersion(n[0], n[1], n[2] + 1, "", "");
    };
  }

  /** {@code ^}: the first non-zero part given may not change. */
  private static SemanticVersion caretLimit(long[] n, int given) {
    if (given == 0) {
      return null;
    }
    if (n[0] > 0 || given == 1) {
      return bump(n, 1);
    }
    if (n[1] > 0 || given == 2) {
      return bump(n, 2);
    }
    return bump(n, 3);
  }

  private static Predicate<SemanticVersion> range(SemanticVersion low, SemanticVersion next) {
    return atLeast(low).and(below(next));
  }

  private static Predicate<SemanticVersion> atLeast(SemanticVersion low) {
    return v -> low == null || v.compareTo(low) >= 0;
  }

  private static Predicate<SemanticVersion> below(SemanticVersion next) {
    return v -> next == null || v.compareTo(next) < 0;
  }
}
