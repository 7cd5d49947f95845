package dev.flotilla.core.glob;

import java.util.Optional;

/**
 * {@link Glob.Mode#RESOURCE}: Go's {@code filepath.Match} on Linux, without regular expressions.
 * Only the most recent {@code *} is ever backtracked to, so the work is bounded by pattern length
 * times value length (no exponential blow-up on many stars).
 */
final class FilepathMatch {

  private FilepathMatch() {}

  /** Why {@code pattern} is malformed (e.g. "unclosed '[' at position 3"), or empty. */
  static Optional<String> error(String pattern) {
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

  /** For a pattern without {@link #error}. */
  static boolean matches(String p, String v) {
    int pi = 0;
    int vi = 0;
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
