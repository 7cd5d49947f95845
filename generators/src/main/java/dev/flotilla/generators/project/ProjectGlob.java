package dev.flotilla.generators.project;

import dev.flotilla.core.regex.BoundedText;
import dev.flotilla.core.regex.RegexBudgetExceededException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Glob matching as Argo CD applies it to AppProject fields: {@code *} matches any run of characters
 * except the separator (when one is given), {@code **} matches across separators, {@code ?} one
 * character, {@code [abc]}/{@code [!abc]} classes and {@code {a,b}} alternatives. A pattern that
 * does not compile is compared literally, as Argo does.
 */
final class ProjectGlob {

  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private ProjectGlob() {}

  static boolean matches(String pattern, String value, Character separator) {
    return matches(pattern, value, separator, false);
  }

  /**
   * @param onTooExpensive the answer when matching would take too long: false for allow entries and
   *     true for deny entries, so that a pathological pattern never widens access
   */
  static boolean matches(
      String pattern, String value, Character separator, boolean onTooExpensive) {
    if (pattern.equals("*")) {
      return true;
    }
    Pattern compiled =
        CACHE.computeIfAbsent(
            pattern + "\u0000" + (separator == null ? "" : separator),
            k -> compile(pattern, separator));
    if (compiled == null) {
      return pattern.equals(value);
    }
    try {
      return BoundedText.matches(compiled, value);
    } catch (RegexBudgetExceededException e) {
      return onTooExpensive;
    }
  }

  private static Pattern compile(String glob, Character separator) {
    String notSeparator =
        separator == null ? "." : "[^" + Pattern.quote(String.valueOf(separator)) + "]";
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            regex.append(".*");
            i++;
          } else {
            regex.append(notSeparator).append('*');
          }
        }
        case '?' -> regex.append(notSeparator);
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            return null;
          }
          String body = glob.substring(i + 1, end);
          regex.append('[');
          if (body.startsWith("!") || body.startsWith("^")) {
            regex.append('^');
            body = body.substring(1);
          }
          regex.append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        case '{' -> {
          braces++;
          regex.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            return null;
          }
          braces--;
          regex.append(')');
        }
        case ',' -> regex.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces != 0) {
      return null;
    }
    try {
      return Pattern.compile(regex.toString());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
