package dev.flotilla.render.chart;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart version as Helm reads it (Masterminds semver): {@code MAJOR[.MINOR[.PATCH]]} with an
 * optional leading {@code v}, {@code -prerelease} and {@code +build}; missing parts are 0. Ordered
 * by semver precedence, the build ignored.
 */
public record SemanticVersion(long major, long minor, long patch, String prerelease, String build)
    implements Comparable<SemanticVersion> {

  private static final Pattern VERSION =
      Pattern.compile(
          "v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  /** The version {@code text} names, if it is one. */
  public static Optional<SemanticVersion> parse(String text) {
    Matcher m = VERSION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new SemanticVersion(
              Long.parseLong(m.group(1)),
              m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
              m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
              m.group(4) == null ? "" : m.group(4),
              m.group(5) == null ? "" : m.group(5)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // a part too large for a long is no version anyone publishes
    }
  }

  public boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  @Override
  public int compareTo(SemanticVersion o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    return c != 0 ? c : comparePrerelease(prerelease, o.prerelease);
  }

  /** Semver 2.0.0 rule 11: no prerelease wins; identifiers compare numerically or by ASCII. */
  private static int comparePrerelease(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? 1 : -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].chars().allMatch(Character::isDigit);
      boolean yn = y[i].chars().allMatch(Character::isDigit);
      int c;
      if (xn && yn) {
        c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
      } else if (xn || yn) {
        c = xn ? -1 : 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return major
        + "."
        + minor
        + "."
        + patch
        + (prerelease.isEmpty() ? "" : "-" + prerelease)
        + (build.isEmpty() ? "" : "+" + build);
  }
}
