package dev.flotilla.core.glob;

/**
 * {@link Glob.Mode#RBAC} without regular expressions, so a hostile pattern cannot cause
 * catastrophic backtracking: only the last star is ever backtracked to.
 */
final class RbacMatch {

  private RbacMatch() {}

  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int starP = -1;
    int starT = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        starP = p++;
        starT = t;
      } else if (starP >= 0) {
        // Let the last star swallow one more character and retry from there.
        p = starP + 1;
        t = ++starT;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
